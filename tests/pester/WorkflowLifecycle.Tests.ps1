#Requires -Version 7.4
# Pester 5: workflows on the embedded platform, from New-KratixRequest to Remove-KratixRequest. The platform runs its
# pipelines on the Host runtime (set with Connect-KratixPlatform -Runtime Host), so this needs Linux and bwrap; what
# the pipelines write is read back from the bare Git repository the Destination's state store pushes to.

Describe 'Kratix workflows on the embedded platform' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        # KRATIX_RUNTIME would override the platform's runtime setting for this process.
        $SavedRuntime = $env:KRATIX_RUNTIME
        Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue

        # Each run writes a fresh random id, so a test can tell a re-run from a file left as it was.
        $InstanceScript = @'
set -eu
size=$(grep 'size:' /kratix/input/object.yaml | head -n 1 | sed 's/.*size: //')
run=$(cat /proc/sys/kernel/random/uuid)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  size: %s\n  run: %s\n' "$KRATIX_OBJECT_NAME" "$size" "$run" > /kratix/output/configmap.yaml
printf 'run: %s\n' "$run" > /kratix/metadata/status.yaml
'@
        $TeardownScript = @'
if grep -q 'size: large' /kratix/input/object.yaml; then
  echo 'refusing to tear down a large app'
  exit 1
fi
echo "tearing down $KRATIX_OBJECT_NAME"
'@
        $SetupScript = @'
run=$(cat /proc/sys/kernel/random/uuid)
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    run: %s\n' "$run" > /kratix/output/namespace.yaml
'@

        $platform = New-TestPlatform -Name 'workflow-lifecycle'
        Connect-KratixPlatform -Path $platform.Home -Runtime Host -ContainerTimeout ([timespan]::FromMinutes(2))
        Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
        $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app `
            -PromiseConfigure ([ordered]@{ setup = $SetupScript }) `
            -ResourceConfigure ([ordered]@{ instance = $InstanceScript }) `
            -ResourceDelete ([ordered]@{ teardown = $TeardownScript })
        Install-KratixPromise -Path $promiseFile -Platform $platform.Home

        $RequestFile = 'dev/resources/default/app/web/instance/5058f/configmap.yaml'
        $PromiseFile = 'dev/dependencies/app/setup/5058f/namespace.yaml'

        function Get-RunId([string] $Path) {
            $text = Get-RemoteFile -Remote $platform.Remote -Path $Path
            if ($text -match 'run: (\S+)') { $Matches[1] }
        }
    }

    AfterAll {
        $env:KRATIX_RUNTIME = $SavedRuntime
    }

    It 'runs on the runtime Connect-KratixPlatform saved for the platform' {
        $info = Get-KratixPlatform -Platform $platform.Home

        $info.Runtime | Should -Be 'Host'
        $info.ContainerTimeout | Should -Be ([timespan]::FromMinutes(2))
    }

    It 'ran the Promise''s configure workflow on install and wrote its output to the Destination' {
        (Get-KratixPromise -Name app -Platform $platform.Home).State | Should -Be 'Available'
        Get-RunId $PromiseFile | Should -Not -BeNullOrEmpty
    }

    It 'New-KratixRequest runs the configure pipeline and its output reaches the remote' {
        $request = New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1; size = 'large' } -Platform $platform.Home

        $request.State | Should -Be 'Reconciled'
        $request.Status.run | Should -Not -BeNullOrEmpty
        $text = Get-RemoteFile -Remote $platform.Remote -Path $RequestFile
        $text | Should -Match 'name: web'
        $text | Should -Match 'size: large'
        Get-RunId $RequestFile | Should -Be $request.Status.run
        Get-KratixWork -Promise app -Namespace default -Platform $platform.Home | Should -HaveCount 1
    }

    It 'Set-KratixRequest with a new spec runs the pipeline again' {
        $before = Get-RunId $RequestFile

        Set-KratixRequest -Promise app -Name web -Spec @{ replicas = 1; size = 'small' } -Platform $platform.Home

        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Match 'size: small'
        Get-RunId $RequestFile | Should -Not -Be $before
    }

    It 'Set-KratixRequest with the same spec does not' {
        $before = Get-RunId $RequestFile

        Set-KratixRequest -Promise app -Name web -Spec @{ replicas = 1; size = 'small' } -Platform $platform.Home

        Get-RunId $RequestFile | Should -Be $before
    }

    It 'Sync-KratixRequest runs it again on demand, taking the request from Get-KratixRequest' {
        $before = Get-RunId $RequestFile

        $synced = Get-KratixRequest -Promise app -Name web -Platform $platform.Home | Sync-KratixRequest -Platform $platform.Home

        $synced.PSObject.TypeNames[0] | Should -Be 'Kratix.ResourceRequest'
        $synced.Name | Should -Be 'web'
        Get-RunId $RequestFile | Should -Not -Be $before
        Get-RunId $RequestFile | Should -Be $synced.Status.run
    }

    It 'Sync-KratixRequest runs nothing with -WhatIf' {
        $before = Get-RunId $RequestFile

        Sync-KratixRequest -Promise app -Name web -Platform $platform.Home -WhatIf

        Get-RunId $RequestFile | Should -Be $before
    }

    It 'Sync-KratixPromise runs the Promise''s configure workflow again, and not its requests' {
        $promiseRun = Get-RunId $PromiseFile
        $requestRun = Get-RunId $RequestFile

        $promise = Sync-KratixPromise -Name app -Platform $platform.Home

        $promise.PSObject.TypeNames[0] | Should -Be 'Kratix.Promise'
        Get-RunId $PromiseFile | Should -Not -Be $promiseRun
        Get-RunId $RequestFile | Should -Be $requestRun
    }

    It 'Sync-KratixPromise -IncludeRequest runs the requests'' workflows too' {
        $requestRun = Get-RunId $RequestFile

        $null = Get-KratixPromise -Name app -Platform $platform.Home | Sync-KratixPromise -IncludeRequest -Platform $platform.Home

        Get-RunId $RequestFile | Should -Not -Be $requestRun
    }

    It 'Remove-KratixRequest keeps the request and its files when the delete pipeline fails' {
        Set-KratixRequest -Promise app -Name web -Spec @{ replicas = 1; size = 'large' } -Platform $platform.Home

        { Remove-KratixRequest -Promise app -Name web -Platform $platform.Home -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'RequestDeleteWorkflowFailed,Kratix.PowerShell.Cmdlets.RemoveKratixRequestCommand'

        Get-KratixRequest -Promise app -Name web -Platform $platform.Home | Should -Not -BeNullOrEmpty
        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Not -BeNullOrEmpty
    }

    It 'Remove-KratixRequest runs the delete pipeline, then removes the request, its Work and its files' {
        Set-KratixRequest -Promise app -Name web -Spec @{ replicas = 1; size = 'small' } -Platform $platform.Home

        $verbose = @(Remove-KratixRequest -Promise app -Name web -Platform $platform.Home -Confirm:$false -Verbose 4>&1)

        ($verbose | ForEach-Object { "$_" }) | Where-Object { $_ -match 'resource\.delete/teardown' } | Should -Not -BeNullOrEmpty
        Get-KratixRequest -Promise app -Platform $platform.Home | Should -BeNullOrEmpty
        Get-KratixWork -Promise app -Namespace default -Platform $platform.Home | Should -BeNullOrEmpty
        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -BeNullOrEmpty
        Get-RemoteFile -Remote $platform.Remote -Path $PromiseFile | Should -Not -BeNullOrEmpty
    }
}
