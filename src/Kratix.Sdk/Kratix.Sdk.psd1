@{
    RootModule           = 'Kratix.Sdk.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '0d5a3f0e-6a4b-4d53-9f7e-5c1b2a9e7d41'
    Author               = 'Kratix for PowerShell contributors'
    CompanyName          = 'Kratix for PowerShell contributors'
    Copyright            = '(c) Kratix for PowerShell contributors. Apache License 2.0.'
    Description          = 'The Kratix SDK for pipeline scripts written in PowerShell: read the input object, write outputs, status, destination selectors and workflow control, following upstream Kratix''s sdk/contract.md. Needs only pwsh 7.4+ and its own YamlDotNet.dll.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @(
        'Read-KratixInput'
        'Read-KratixResourceInput'
        'Read-KratixPromiseInput'
        'Get-KratixValue'
        'Write-KratixOutput'
        'Read-KratixStatus'
        'Write-KratixStatus'
        'Read-KratixDestinationSelector'
        'Write-KratixDestinationSelector'
        'Suspend-KratixWorkflow'
        'Get-KratixWorkflow'
        'Test-KratixWorkflow'
        'ConvertFrom-KratixYaml'
        'ConvertTo-KratixYaml'
    )
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
}
