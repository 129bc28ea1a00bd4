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
        'Add-KratixPipelineContainer'
        'Build-KratixPipelineImage'
        'Build-KratixPromise'
        'Compare-KratixPromise'
        'Compare-KratixRequest'
        'Connect-KratixPlatform'
        'Export-KratixPlatform'
        'Find-KratixPromise'
        'Get-KratixDestination'
        'Get-KratixHealthRecord'
        'Get-KratixPipelineLog'
        'Get-KratixPlatform'
        'Get-KratixPromise'
        'Get-KratixPromiseRevision'
        'Get-KratixRequest'
        'Get-KratixResourceBinding'
        'Get-KratixStateStore'
        'Get-KratixWork'
        'Get-KratixWorkPlacement'
        'Import-KratixPlatform'
        'Install-KratixPromise'
        'Invoke-KratixPipeline'
        'Measure-KratixPromise'
        'New-KratixPromise'
        'New-KratixRequest'
        'Register-KratixDestination'
        'Register-KratixStateStore'
        'Remove-KratixHealthRecord'
        'Remove-KratixPromiseRevision'
        'Remove-KratixRequest'
        'Set-KratixHealthRecord'
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
        'Update-KratixPromise'
        'Update-KratixPromiseApi'
        'Update-KratixRequest'
        'Wait-KratixPromise'
        'Wait-KratixRequest'
    )
    FunctionsToExport    = @('Register-KratixShouldOperator')
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kratix', 'PlatformEngineering', 'GitOps', 'Promise', 'Kubernetes', 'Flux', 'ArgoCD', 'Pipelines', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            # No ProjectUri yet: the project has no public home; add it when it has one.
            ReleaseNotes = @'
0.1.0 - the embedded platform
- Promises, resource requests, Destinations and Git, S3 and directory state stores, reconciled on one machine with no
  cluster, writing the layout upstream Kratix writes.
- Workflows: pipelines run as podman or docker containers, or in a bubblewrap sandbox (Host runtime);
  Invoke-KratixPipeline runs a Promise's workflow with no platform, for Pester tests.
- Requests submitted together run side by side and are written in one commit per state store.
- Sync-KratixPlatform repairs what a killed session left.
- The cluster backend: the same cmdlets on a Kubernetes cluster running upstream Kratix (Connect-KratixPlatform
  -Kubeconfig/-Context/-InCluster, -Platform kube:<context>), server-side apply, Wait-KratixPromise,
  Wait-KratixRequest and -Wait.
- Complete help (Get-Help), argument completion, Trace-KratixRequest / Trace-KratixPromise, Get-KratixPipelineLog,
  progress and -Verbose, and Should operators for Promise authors' Pester tests.
'@
        }
    }
}
