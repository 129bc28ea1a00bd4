#Requires -Version 7.4
# Pester 5: Promise versions through the cmdlets: Get-KratixPromiseRevision, Get-KratixResourceBinding,
# Update-KratixRequest (upgrade, downgrade, back to latest), Remove-KratixPromiseRevision, and Install-KratixPromise -Uri
# against a real HTTP server on 127.0.0.1 that checks the Authorization header.

Describe 'Promise versions' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        # The versioned Promise: its resource pipeline writes version.txt holding the version, so the state store says
        # which version's workflow a request last ran.
        function New-VersionedPromiseFile([string] $Path, [string] $Version, [switch] $Fail) {
            $script = if ($Fail) { 'echo broken >&2; exit 3' } else { "echo $Version > /kratix/output/version.txt" }
            $file = New-TestWorkflowPromiseFile -Path $Path -Name thing -ResourceConfigure ([ordered]@{ instance = $script })
            $promise = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json -AsHashtable
            $promise.metadata.labels = @{ 'kratix.io/promise-version' = $Version }
            $promise | ConvertTo-Json -Depth 50 | Set-Content -LiteralPath $file -Encoding utf8NoBOM
            $file
        }

        function Get-Ran([string] $Name = 'example') {
            $text = Get-RemoteFile -Remote $platform.Remote -Path "dev/resources/default/thing/$Name/instance/5058f/version.txt"
            if ($text) { $text.Trim() }
        }

        $platform = New-TestPlatform -Name 'versions'
        $P = @{ Platform = $platform.Home }
        Register-KratixStateStore -Name default -Url $platform.Remote @P
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @P
        $v1 = New-VersionedPromiseFile -Path (Join-Path $platform.Root 'v1.json') -Version v1.0.0
        $v2 = New-VersionedPromiseFile -Path (Join-Path $platform.Root 'v2.json') -Version v2.0.0
        Install-KratixPromise -Path $v1 @P
        $null = New-KratixRequest -Promise thing -Name example -Spec @{ replicas = 1 } @P
    }

    It 'lists one revision per version, the newest latest' {
        $revision = Get-KratixPromiseRevision -Promise thing @P
        @($revision) | Should -HaveCount 1
        $revision.PSObject.TypeNames[0] | Should -Be 'Kratix.PromiseRevision'
        $revision.Spec.version | Should -Be 'v1.0.0'
        $revision.Status.latest | Should -BeTrue
        $revision.Labels.'kratix.io/latest-revision' | Should -Be 'true'
        $revision.Name | Should -Match '^thing-[0-9a-f]{5}$'
    }

    It 'shows each request''s binding, by Promise or piped from Get-KratixRequest' {
        $binding = Get-KratixResourceBinding -Promise thing @P
        $binding.PSObject.TypeNames[0] | Should -Be 'Kratix.ResourceBinding'
        $binding.Spec.version | Should -Be 'latest'
        $binding.Spec.resourceRef.name | Should -Be 'example'
        $binding.Status.lastAppliedVersion | Should -Be 'v1.0.0'
        ($binding.Conditions | Where-Object Type -EQ 'UpgradeSucceeded').Reason | Should -Be 'UpgradeComplete'

        $piped = Get-KratixRequest -Promise thing -Name example @P | Get-KratixResourceBinding @P
        $piped.Name | Should -Be $binding.Name
        (Get-KratixResourceBinding -Request ex* @P).Name | Should -Be $binding.Name
    }

    It 'moves a floating request to a new version when the Promise is upgraded' {
        Install-KratixPromise -Path $v2 @P

        Get-Ran | Should -Be 'v2.0.0'
        (Get-KratixRequest -Promise thing -Name example @P).Status.promiseVersion | Should -Be 'v2.0.0'
        @(Get-KratixPromiseRevision -Promise thing @P) | Should -HaveCount 2
        (Get-KratixPromiseRevision -Latest @P).Spec.version | Should -Be 'v2.0.0'
        (Get-KratixPromiseRevision -Promise thing -Version v1* @P).Status.latest | Should -BeFalse
    }

    It 'previews a move with -WhatIf and changes nothing' {
        Update-KratixRequest -Promise thing -Name example -Version v1.0.0 -WhatIf @P
        (Get-KratixResourceBinding -Promise thing @P).Spec.version | Should -Be 'latest'
        Get-Ran | Should -Be 'v2.0.0'
    }

    It 'downgrades a piped request to an older version and runs that version''s workflow' {
        $request = Get-KratixRequest -Promise thing @P | Update-KratixRequest -Version v1.0.0 @P

        $request.PSObject.TypeNames[0] | Should -Be 'Kratix.ResourceRequest'
        $request.Status.promiseVersion | Should -Be 'v1.0.0'
        $request.Status.resourceBindingVersion | Should -Be 'v1.0.0'
        Get-Ran | Should -Be 'v1.0.0'
        (Get-KratixResourceBinding -Promise thing @P).Status.lastAppliedVersion | Should -Be 'v1.0.0'
    }

    It 'moves the request back to the latest version with -Version latest' {
        $request = Update-KratixRequest -Promise thing -Name example -Version Latest @P
        $request.Status.promiseVersion | Should -Be 'v2.0.0'
        $request.Status.resourceBindingVersion | Should -Be 'latest'
        Get-Ran | Should -Be 'v2.0.0'
    }

    It 'refuses a version without a revision, naming the versions there are' {
        Update-KratixRequest -Promise thing -Name example -Version v9 @P -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PromiseRevisionNotFound*'
        "$($failed[0])" | Should -Match 'v1\.0\.0, v2\.0\.0'
    }

    It 'records a failed upgrade on the binding and keeps the version that last ran' {
        $broken = New-VersionedPromiseFile -Path (Join-Path $platform.Root 'v3.json') -Version v3.0.0 -Fail
        Install-KratixPromise -Path $broken @P -WarningAction SilentlyContinue

        $binding = Get-KratixResourceBinding -Promise thing @P
        $binding.Status.failedVersion | Should -Be 'v3.0.0'
        ($binding.Conditions | Where-Object Type -EQ 'UpgradeSucceeded').Reason | Should -Be 'UpgradeFailed'
        (Get-KratixRequest -Promise thing -Name example @P).Status.promiseVersion | Should -Be 'v2.0.0'
        ($binding | Format-Table | Out-String) | Should -Match 'UpgradeFailed'

        $null = Update-KratixRequest -Promise thing -Name example -Version v2.0.0 @P
        (Get-KratixResourceBinding -Promise thing @P).Status.failedVersion | Should -BeNullOrEmpty
    }

    It 'refuses to remove the latest revision and removes an older one nobody is bound to' {
        $latest = Get-KratixPromiseRevision -Promise thing -Latest @P
        Remove-KratixPromiseRevision -Name $latest.Name -Confirm:$false @P -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PromiseRevisionIsLatest*'

        Get-KratixPromiseRevision -Promise thing -Version v1.0.0 @P | Remove-KratixPromiseRevision -Confirm:$false @P
        @(Get-KratixPromiseRevision -Promise thing @P).Spec.version | Should -Not -Contain 'v1.0.0'
        Get-KratixRequest -Promise thing -Name example @P | Should -Not -BeNullOrEmpty
    }

    It 'shows revisions and bindings in their table and list views' {
        $table = Get-KratixPromiseRevision -Promise thing @P | Format-Table | Out-String
        $table | Should -Match 'Version'
        $table | Should -Match 'v2\.0\.0'
        $list = Get-KratixResourceBinding -Promise thing @P | Format-List | Out-String
        $list | Should -Match 'LastAppliedVersion'
        (Get-KratixPromiseRevision -Promise thing -Version v2.0.0 @P | Format-List | Out-String) | Should -Match 'resource\.configure: instance'
    }

    It 'completes versions, revision names and binding names from the platform home' {
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        $home_ = $platform.Home.Replace("'", "''")
        $versions = Complete "Update-KratixRequest -Platform '$home_' -Promise thing -Name example -Version "
        $versions | Should -Contain 'latest'
        $versions | Should -Contain 'v2.0.0'
        Complete "Update-KratixRequest -Platform '$home_' -Promise thing -Name example -Version v2" | Should -Be 'v2.0.0'
        Complete "Remove-KratixPromiseRevision -Platform '$home_' -Name thing-" | Should -Be @(Get-KratixPromiseRevision -Promise thing @P | ForEach-Object Name | Sort-Object)
        Complete "Get-KratixResourceBinding -Platform '$home_' -Name ex" | Should -Be (Get-KratixResourceBinding -Promise thing @P).Name
    }

    It 'pins new requests to the latest version when the platform''s strategy is Pinned' {
        $pinned = New-TestPlatform -Name 'pinned'
        $Q = @{ Platform = $pinned.Home }
        Connect-KratixPlatform -Path $pinned.Home -ResourceBindingVersionStrategy Pinned
        Get-Content -LiteralPath (Join-Path $pinned.Home 'platform.yaml') -Raw | Should -Match 'resourceBindingVersionStrategy: pinned'
        Install-KratixPromise -Path $v1 @Q
        $null = New-KratixRequest -Promise thing -Name example -Spec @{ replicas = 1 } @Q
        Install-KratixPromise -Path $v2 @Q

        (Get-KratixResourceBinding -Promise thing @Q).Spec.version | Should -Be 'v1.0.0'
        (Get-KratixRequest -Promise thing -Name example @Q).Status.promiseVersion | Should -Be 'v1.0.0'
    }

    Context 'Install-KratixPromise -Uri' {
        BeforeAll {
            $Token = 'Bearer t0ken-for-versions-tests'
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start()
            $Port = $probe.LocalEndpoint.Port
            $probe.Stop()
            $Listener = [System.Net.HttpListener]::new()
            $Listener.Prefixes.Add("http://127.0.0.1:$Port/")
            $Listener.Start()
            $Served = [hashtable]::Synchronized(@{})
            $Served['/public/cache.yaml'] = Get-Content -LiteralPath (New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache) -Raw
            $Served['/private/cache.yaml'] = $Served['/public/cache.yaml']
            # A real HTTP server on 127.0.0.1: private paths need the token; it stops when the listener is closed.
            $Server = Start-ThreadJob -ArgumentList $Listener, $Served, $Token -ScriptBlock {
                param($listener, $served, $token)
                while ($listener.IsListening) {
                    try { $context = $listener.GetContext() } catch { return }
                    $path = $context.Request.Url.AbsolutePath
                    $status = if (-not $served.ContainsKey($path)) { 404 } elseif ($path -like '/private/*' -and $context.Request.Headers['Authorization'] -ne $token) { 401 } else { 200 }
                    $context.Response.StatusCode = $status
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes($(if ($status -eq 200) { $served[$path] } else { 'no' }))
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            }
            $release = New-TestPlatform -Name 'release'
            $R = @{ Platform = $release.Home; WarningAction = 'SilentlyContinue' }
        }

        AfterAll {
            $Listener.Close()
            $Server | Remove-Job -Force
        }

        It 'installs the Promise at a URL as a PromiseRelease and outputs the release' {
            $installed = Install-KratixPromise -Uri "http://127.0.0.1:$Port/public/cache.yaml" -PassThru @R

            $installed.PSObject.TypeNames[0] | Should -Be 'Kratix.PromiseRelease'
            $installed.Name | Should -Be 'cache'
            $installed.Spec.version | Should -Be 'v1.0.0'
            $installed.Status.status | Should -Be 'Installed'
            (Get-KratixPromise -Name cache @R).Labels.'kratix.io/promise-release-name' | Should -Be 'cache'
        }

        It 'refuses a Promise whose version is not -Version' {
            Install-KratixPromise -Uri "http://127.0.0.1:$Port/public/cache.yaml" -Version v9.9.9 -ReleaseName other @R -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PromiseReleaseVersionMismatch*'
            "$($failed[0])" | Should -Match 'found: v1\.0\.0, expected: v9\.9\.9'
        }

        It 'sends the Secret''s authorizationHeader, and never shows it' {
            $plain = Install-KratixPromise -Uri "http://127.0.0.1:$Port/private/cache.yaml" -ReleaseName private-plain @R -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PromiseFetchFailed*'
            "$($failed[0])" | Should -Match 'status code 401'

            $secret = @"
apiVersion: v1
kind: Secret
metadata:
  name: promise-token
  namespace: default
type: Opaque
data:
  authorizationHeader: $([Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Token)))
"@
            Register-KratixStateStore -InputObject $secret @R
            $output = Install-KratixPromise -Uri "http://127.0.0.1:$Port/private/cache.yaml" -SecretName promise-token -ReleaseName private -PassThru -Verbose @R 4>&1 *>&1 | Out-String
            $output | Should -Match 'Installed'
            $output | Should -Not -Match 't0ken'
        }

        It 'previews an install from a URL with -WhatIf and fetches nothing' {
            Install-KratixPromise -Uri "http://127.0.0.1:$Port/public/absent.yaml" -WhatIf @R
            Get-KratixPromise @R | Where-Object Name -EQ absent | Should -BeNullOrEmpty
        }
    }
}
