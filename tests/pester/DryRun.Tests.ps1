#Requires -Version 7.4
# Pester 5: dry runs through the cmdlets (docs/day-two.md#dry-runs). Compare-KratixRequest and Compare-KratixPromise
# output each file a request or Promise would add, change or remove, per Destination and state store, with its diff;
# -WhatIf on New-, Set-KratixRequest and Install-KratixPromise says the same as "What if:" lines. Pipelines run on the
# Host runtime (Linux and bwrap) against two real bare repositories, which must stay as they were, as must the home.

Describe 'Dry runs on the embedded platform' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
        $SavedRuntime = $env:KRATIX_RUNTIME
        Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue

        # dev and prod each get config.yaml and dry-run.txt (what KRATIX_DRY_RUN said), small.yaml for a small Thing;
        # a large one gets prod/big.yaml.
        $ThingScript = @'
size=$(grep 'size:' /kratix/input/object.yaml | head -n 1 | sed 's/.*size: //')
for d in dev prod; do
  mkdir -p /kratix/output/$d
  printf 'name: %s\nsize: %s\nzone: a\n' "$KRATIX_OBJECT_NAME" "$size" > /kratix/output/$d/config.yaml
  echo "KRATIX_DRY_RUN=${KRATIX_DRY_RUN:-unset}" > /kratix/output/$d/dry-run.txt
  if [ "$size" = small ]; then echo small > /kratix/output/$d/small.yaml; fi
done
if [ "$size" = large ]; then echo big > /kratix/output/prod/big.yaml; fi
printf -- '- directory: dev\n  matchLabels: {stage: dev}\n- directory: prod\n  matchLabels: {stage: prod}\n' > /kratix/metadata/destination-selectors.yaml
'@

        $platform = New-TestPlatform -Name 'dry-run'
        $Home_ = $platform.Home
        $Second = Join-Path $platform.Root 'second.git'
        $null = Invoke-TestGit -ArgumentList @('init', '--quiet', '--bare', '--initial-branch=main', $Second)
        Connect-KratixPlatform -Path $Home_ -Runtime Host -ContainerTimeout ([timespan]::FromMinutes(2))
        Register-KratixStateStore -Name default -Url $platform.Remote
        Register-KratixStateStore -Name second -Url $Second
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'apps'; stage = 'dev' }
        Register-KratixDestination -Name prod -StateStore second -Label @{ environment = 'apps'; stage = 'prod' }
        $PromiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'thing.json') -Name thing -Environment apps `
            -ResourceConfigure ([ordered]@{ instance = $ThingScript })
        Install-KratixPromise -Path $PromiseFile
        $null = New-KratixRequest -Promise thing -Name web -Spec @{ size = 'small'; replicas = 1 }

        # Every file of the home and both repositories, hashed; the lock and the cache token every command rewrites aside.
        function Get-Snapshot {
            foreach ($folder in $Home_, $platform.Remote, $Second) {
                Get-ChildItem -LiteralPath $folder -Recurse -File -Force |
                    Where-Object Name -NotIn '.token', 'platform.lock' |
                    ForEach-Object { "$($_.FullName)|$((Get-FileHash -LiteralPath $_.FullName).Hash)" }
            }
        }

        # What a command wrote to the host (ShouldProcess's "What if:" lines go there), through a transcript.
        function Get-HostOutput([scriptblock] $Command) {
            $file = Join-Path $platform.Root "transcript-$([guid]::NewGuid().ToString('N')).txt"
            $null = Start-Transcript -LiteralPath $file -UseMinimalHeader
            try { $null = & $Command } finally { $null = Stop-Transcript }
            Get-Content -LiteralPath $file
        }
    }

    AfterAll {
        $env:KRATIX_RUNTIME = $SavedRuntime
    }

    It 'Compare-KratixRequest outputs each file a change would add, change or remove, per Destination and state store, and writes nothing' {
        $before = Get-Snapshot

        $changes = @(Compare-KratixRequest -Promise thing -Name web -Spec @{ size = 'large'; replicas = 1 })

        $changes | ForEach-Object { "$($_.Change) $($_.Destination) $($_.StateStore) $(Split-Path -Leaf $_.Path)" } | Sort-Object |
            Should -Be @(
                'Added prod second big.yaml'
                'Changed dev default config.yaml'
                'Changed dev default dry-run.txt'
                'Changed prod second config.yaml'
                'Changed prod second dry-run.txt'
                'Removed dev default small.yaml'
                'Removed prod second small.yaml'
            )
        $changes[0].PSObject.TypeNames[0] | Should -Be 'Kratix.DryRunChange'
        $changes[0].Subject | Should -Be 'Thing default/web'
        $config = $changes | Where-Object { $_.StateStore -eq 'default' -and $_.Path -like '*/config.yaml' }
        $config.Path | Should -BeLike 'dev/resources/default/thing/web/instance/*/config.yaml'
        $config.Diff | Should -Be "--- a/$($config.Path)`n+++ b/$($config.Path)`n@@ -1,3 +1,3 @@`n name: web`n-size: small`n+size: large`n zone: a`n"
        ($changes | Where-Object { $_.StateStore -eq 'second' -and $_.Path -like '*/dry-run.txt' }).After | Should -Be "KRATIX_DRY_RUN=true`n"

        Get-Snapshot | Should -Be $before
        (Get-KratixRequest -Promise thing -Name web).Spec.size | Should -Be 'small'
    }

    It 'shows the changes as a table (Change, Destination, StateStore, Path) and the diff in the list view' {
        $changes = Compare-KratixRequest -Promise thing -Name web -Spec @{ size = 'large'; replicas = 1 }

        $table = $changes | Format-Table | Out-String -Width 300
        $table | Should -Match 'Dry run of: Thing default/web'
        $table | Should -Match 'Change\s+Destination\s+StateStore\s+Path'
        $table | Should -Match 'Removed\s+prod\s+second\s+prod/resources/default/thing/web/instance/\S+/small.yaml'
        $list = $changes | Where-Object Change -eq 'Changed' | Select-Object -First 1 | Format-List | Out-String -Width 300
        $list | Should -Match 'Diff\s+: --- a/'
        $list | Should -Match 'StateStore\s+: GitStateStore'
    }

    It 'Compare-KratixRequest dry-runs a stored request as it is, a new one from a file, and a piped one' {
        $rerun = @(Compare-KratixRequest -Promise thing -Name web)
        $rerun.Path | ForEach-Object { Split-Path -Leaf $_ } | Sort-Object -Unique | Should -Be 'dry-run.txt'

        $file = Join-Path $platform.Root 'fresh.yaml'
        Set-Content -LiteralPath $file -Encoding utf8NoBOM -Value "apiVersion: test.kratix.io/v1alpha1`nkind: Thing`nmetadata:`n  name: fresh`nspec:`n  size: small`n  replicas: 2`n"
        $fresh = @(Compare-KratixRequest -Path $file)
        $fresh.Count | Should -Be 6
        $fresh.Change | Sort-Object -Unique | Should -Be 'Added'

        $piped = @(Get-KratixRequest -Promise thing -Name web | Compare-KratixRequest)
        $piped.Count | Should -Be 2
        Get-KratixRequest -Promise thing -Name fresh -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'New-KratixRequest -WhatIf says per file what it would add, at which Destination and state store, and submits nothing' {
        $before = Get-Snapshot

        $lines = Get-HostOutput { New-KratixRequest -Promise thing -Name fresh -Spec @{ size = 'large'; replicas = 1 } -WhatIf }

        $lines | Should -Contain 'What if: Performing the operation "Submit request" on target "Thing "fresh"".'
        $whatIf = @($lines | Where-Object { $_ -like 'What if: Thing default/fresh: would *' })
        $whatIf.Count | Should -Be 5
        $whatIf | Should -Contain ($whatIf | Where-Object { $_ -match '^What if: Thing default/fresh: would add "prod/resources/default/thing/fresh/instance/[0-9a-f]+/prod/big\.yaml" at Destination "prod" \(GitStateStore "second"\)\.$' })
        @($whatIf | Where-Object { $_ -match 'would add "dev/.*/config\.yaml" at Destination "dev" \(GitStateStore "default"\)' }).Count | Should -Be 1
        Get-KratixRequest -Promise thing -Name fresh -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Snapshot | Should -Be $before
    }

    It 'Set-KratixRequest -WhatIf says which files it would change, add and remove, and changes nothing' {
        $before = Get-Snapshot

        $lines = Get-HostOutput { Set-KratixRequest -Promise thing -Name web -Spec @{ size = 'large'; replicas = 1 } -WhatIf }

        $lines | Should -Contain 'What if: Performing the operation "Update request" on target "Thing "web"".'
        @($lines | Where-Object { $_ -match '^What if: Thing default/web: would remove ".*small\.yaml" at Destination "(dev|prod)"' }).Count | Should -Be 2
        @($lines | Where-Object { $_ -match '^What if: Thing default/web: would change ".*config\.yaml"' }).Count | Should -Be 2
        @($lines | Where-Object { $_ -match '^What if: Thing default/web: would add ".*big\.yaml" at Destination "prod" \(GitStateStore "second"\)' }).Count | Should -Be 1
        (Get-KratixRequest -Promise thing -Name web).Spec.size | Should -Be 'small'
        Get-Snapshot | Should -Be $before
    }

    It 'Install-KratixPromise -WhatIf and Compare-KratixPromise dry-run an upgrade that reruns the requests' {
        $upgraded = (Get-Content -LiteralPath $PromiseFile -Raw).Replace('zone: a', 'zone: b')
        $before = Get-Snapshot

        $changes = @($upgraded | Compare-KratixPromise)
        $lines = Get-HostOutput { $upgraded | Install-KratixPromise -WhatIf }

        $configs = @($changes | Where-Object Path -like '*/config.yaml')
        $configs.Destination | Sort-Object | Should -Be @('dev', 'prod')
        $configs | ForEach-Object { $_.Diff | Should -Match '(?m)^-zone: a$' }
        $changes[0].Subject | Should -Be 'Promise thing'
        @($lines | Where-Object { $_ -like 'What if: Performing the operation "Install Promise" on target "Promise "thing"*' }).Count | Should -Be 1
        @($lines | Where-Object { $_ -match '^What if: Promise thing: would change ".*config\.yaml" at Destination "(dev|prod)"' }).Count | Should -Be 2
        Get-Snapshot | Should -Be $before
        (Get-Content -LiteralPath (Join-Path $Home_ 'objects/promises.platform.kratix.io/thing.yaml') -Raw) | Should -Match 'zone: a'
    }

    It 'reports a workflow that fails in the dry run as DryRunWorkflowFailed, and an invalid request as New-KratixRequest does' {
        $failing = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'careful.json') -Name careful -Environment apps `
            -ResourceConfigure ([ordered]@{ check = 'if [ -n "${KRATIX_DRY_RUN:-}" ]; then echo "no dry runs" >&2; exit 3; fi' })
        Install-KratixPromise -Path $failing

        $changes = Compare-KratixRequest -Promise careful -Name one -Spec @{ replicas = 1 } -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue

        $changes | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'DryRunWorkflowFailed*'
        $failed[0].Exception.Message | Should -Match 'Careful default/one'
        # The pipeline's warning keeps the log's last lines; its logs, in the scratch copy, are gone.
        "$warned" | Should -Match '(?s)Dry run: .*no dry runs'
        "$warned" | Should -Match 'Logs: not kept'
        "$warned" | Should -Not -Match 'kratix-dry-run-'
        Compare-KratixRequest -Promise thing -Name web -Spec @{ size = 'huge'; replicas = 1 } -ErrorVariable invalid -ErrorAction SilentlyContinue
        $invalid[0].FullyQualifiedErrorId | Should -BeLike 'RequestInvalid*'
    }
}
