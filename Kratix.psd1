@{
    RootModule           = 'Kratix.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '4f6c2f2e-8a51-4b8e-9a57-2f1f5e0c7b31'
    Author               = 'Kratix for PowerShell contributors'
    CompanyName          = 'Kratix for PowerShell contributors'
    Copyright            = '(c) Kratix for PowerShell contributors. Apache License 2.0.'
    Description          = 'Kratix as PowerShell: Promises, resource requests, Destinations, state stores and workflows, on an embedded platform that runs the whole Kratix reconciliation with no cluster, writing the same Git and bucket layout upstream Kratix writes.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Kratix.Format.ps1xml')
    # The Pester Should operators (-HaveKratixDocument, -BeScheduledTo, -HaveKratixStatus, -BeKratixReconciled): registered
    # with Pester 5 when it is loaded, before or after Kratix; the module does not need Pester.
    NestedModules        = @('Kratix.Pester.psm1')
    CmdletsToExport      = @(
        'Connect-KratixPlatform'
        'Get-KratixDestination'
        'Get-KratixPipelineLog'
        'Get-KratixPlatform'
        'Get-KratixPromise'
        'Get-KratixRequest'
        'Get-KratixStateStore'
        'Get-KratixWork'
        'Get-KratixWorkPlacement'
        'Install-KratixPromise'
        'Invoke-KratixPipeline'
        'New-KratixRequest'
        'Register-KratixDestination'
        'Register-KratixStateStore'
        'Remove-KratixRequest'
        'Set-KratixRequest'
        'Sync-KratixPlatform'
        'Sync-KratixPromise'
        'Sync-KratixRequest'
        'Test-KratixPromise'
        'Test-KratixRequest'
        'Test-KratixStateStore'
        'Trace-KratixPromise'
        'Trace-KratixRequest'
        'Uninstall-KratixPromise'
        'Unregister-KratixDestination'
        'Unregister-KratixStateStore'
    )
    FunctionsToExport    = @('Register-KratixShouldOperator')
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Kratix', 'PlatformEngineering', 'GitOps', 'Kubernetes', 'Promise', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri = 'https://github.com/kratix-powershell/Kratix.PowerShell'
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
    }
}
