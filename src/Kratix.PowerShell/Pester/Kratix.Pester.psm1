#Requires -Version 7.4
<#
    Pester Should operators for Promise authors, shipped with the Kratix module as a nested module. The module does not
    depend on Pester: the operators are registered with Pester 5's Add-ShouldOperator when Pester is there.

        $result  | Should -HaveKratixDocument -Kind Deployment -Name web      # Invoke-KratixPipeline output
        $result  | Should -BeScheduledTo -Destination dev                    # ... or a request, a trace, a WorkPlacement
        $result  | Should -HaveKratixStatus -Field url -Value 'http://web'    # ... or a request from the platform
        $request | Should -BeKratixReconciled                                # a request or Promise, or a trace

    When they are registered:
      - on import, when Pester 5 is already loaded (Invoke-Pester loads it before a test file imports Kratix);
      - otherwise at the first Describe, Context, It, Should, BeforeAll or Invoke-Pester a script runs once Pester 5 is
        loaded (a command-lookup hook that then takes itself out), so importing Pester after Kratix works too;
      - Register-KratixShouldOperator does it at once, for a session where neither happens (it is idempotent).
    Pester allows 32 Should operators in all and has 26 of its own; these are 4 of the 6 left.
#>

Set-StrictMode -Version Latest

$script:Operators = [ordered]@{
    HaveKratixDocument = 'Should-HaveKratixDocument'
    BeScheduledTo      = 'Should-BeScheduledTo'
    HaveKratixStatus   = 'Should-HaveKratixStatus'
    BeKratixReconciled = 'Should-BeKratixReconciled'
}

# The Pester module the operators were last registered with (a re-imported Pester is a new module object).
$script:RegisteredWith = $null

# The module holding the operators' implementations, once imported.
$script:Implementations = $null

function Register-KratixShouldOperator {
    <#
    .SYNOPSIS
        Registers the Kratix Should operators (-HaveKratixDocument, -BeScheduledTo, -HaveKratixStatus,
        -BeKratixReconciled) with Pester 5.
    .DESCRIPTION
        The Kratix module registers them by itself when Pester 5 is loaded, before or after Kratix; this does it at
        once, and says what it did. It is safe to call again. It fails when Pester 5 is not loaded (Import-Module Pester
        first) or when Pester has no room left: Pester allows 32 Should operators in all.
    .EXAMPLE
        Import-Module Pester -MinimumVersion 5.0; Import-Module Kratix; Register-KratixShouldOperator -PassThru
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        # Outputs the names of the operators now registered.
        [switch] $PassThru
    )

    $pester = Get-Module -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
    if (-not $pester) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.InvalidOperationException]::new('Pester 5 is not loaded: Import-Module Pester -MinimumVersion 5.0, then register the Kratix Should operators.'),
                'PesterNotLoaded',
                [System.Management.Automation.ErrorCategory]::ObjectNotFound,
                $null))
    }

    $failures = @(Add-KratixShouldOperator -Pester $pester)
    foreach ($failure in $failures) {
        Write-Error -Message $failure.Message -ErrorId 'ShouldOperatorNotRegistered' -Category InvalidOperation
    }

    if ($PassThru) {
        $failed = @($failures | ForEach-Object { $_.Operator })
        $script:Operators.Keys | Where-Object { $_ -notin $failed }
    }
}

function Add-KratixShouldOperator {
    # Registers each operator with the given Pester; outputs the operator and a message for each that could not be.
    param([psmoduleinfo] $Pester)

    $add = $Pester.ExportedCommands['Add-ShouldOperator']
    # The implementations are imported on first use only (see Kratix.Pester.Operators.psm1); the same module object is
    # kept, so registering again hands Pester the very same script blocks, which it ignores as exact duplicates.
    if ($null -eq $script:Implementations) {
        $script:Implementations = Import-Module -Name (Join-Path $PSScriptRoot 'Kratix.Pester.Operators.psm1') -PassThru -Force -DisableNameChecking
    }
    foreach ($name in $script:Operators.Keys) {
        $function = $script:Operators[$name]
        try {
            & $add -Name $name -Test $script:Implementations.ExportedFunctions[$function].ScriptBlock -InternalName $function -SupportsArrayInput
        }
        catch {
            [pscustomobject]@{ Operator = $name; Message = "Should -$name could not be registered with Pester $($Pester.Version): $($_.Exception.Message)" }
        }
    }

    $script:RegisteredWith = $Pester
}

function Register-WhenPesterLoaded {
    # Registers the operators with the loaded Pester 5 unless that Pester already has them; quiet on failure (the
    # operators then fail where a test uses them, and Register-KratixShouldOperator says why).
    $pester = Get-Module -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
    if ($pester -and -not [object]::ReferenceEquals($pester, $script:RegisteredWith)) {
        foreach ($failure in @(Add-KratixShouldOperator -Pester $pester)) {
            Write-Warning $failure.Message
        }
    }
}


# Last, once every function above is defined: a command-lookup hook (ShouldOperatorHook, in the module's assembly)
# waits for Pester: at the first Describe, Context, It, Should, BeforeAll or Invoke-Pester once Pester 5 is loaded (before
# or after Kratix) it runs the script block below in this module, then takes itself out once the operators are
# registered. Nothing here runs a command or a pipeline at import: each would add to every Import-Module Kratix.
$script:LookupHook = [Kratix.PowerShell.Pester.ShouldOperatorHook]::Install($ExecutionContext, { Register-WhenPesterLoaded; $null -ne $script:RegisteredWith })
$ExecutionContext.SessionState.Module.OnRemove = { $script:LookupHook.Remove() }

Export-ModuleMember -Function 'Register-KratixShouldOperator'
