#Requires -Version 7.4
# Pester 5: the views of Kratix.Format.ps1xml. Every kind of object the cmdlets output is rendered as a 120-column
# console shows it (Out-String -Width 120): its default view is a table whose header is whole and whose identifying and
# status columns are never cut ('…'), and Format-List shows its list view. The platform is a realistic one: names as
# long as teams give them, two state stores, a Destination with labels, a Promise whose workflow makes a Work per request.

Describe 'Kratix views' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $Width = 120
        $platform = New-TestPlatform -Name 'views'
        $at = @{ Platform = $platform.Home }
        $null = Register-KratixStateStore -Name platform-state -Url $platform.Remote @at
        $null = Register-KratixStateStore -Name local-bucket -Directory (Join-Path $platform.Root 'bucket') @at
        Register-KratixDestination -Name dev-cluster-eu-west -StateStore platform-state -Label @{ environment = 'dev'; region = 'eu-west-1' } @at
        $configure = @'
cat > /kratix/output/database.yaml <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $KRATIX_OBJECT_NAME-database
  namespace: $KRATIX_OBJECT_NAMESPACE
EOF
'@
        $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'postgresql.json') -Name postgresql `
            -ResourceConfigure ([ordered]@{ 'instance-configure' = $configure })
        $null = Install-KratixPromise -Path $promiseFile @at
        $null = @(
            @{ Name = 'payments-database-primary'; Namespace = 'team-payments' }
            @{ Name = 'orders'; Namespace = 'default' }
        ) | ForEach-Object { [pscustomobject]$_ } | New-KratixRequest -Promise postgresql -Spec @{ replicas = 2 } @at

        # Every kind of output, each with the strings its table row must show whole, in column order.
        $Outputs = [ordered]@{
            'Kratix.Promise'           = @(Get-KratixPromise @at)
            'Kratix.ResourceRequest'   = @(Get-KratixRequest @at)
            'Kratix.Destination'       = @(Get-KratixDestination @at)
            'Kratix.GitStateStore'     = @(Get-KratixStateStore -Kind GitStateStore @at)
            'Kratix.BucketStateStore'  = @(Get-KratixStateStore -Kind BucketStateStore @at)
            'Kratix.Work'              = @(Get-KratixWork @at)
            'Kratix.WorkPlacement'     = @(Get-KratixWorkPlacement @at)
            'Kratix.StateStoreTest'    = @(Test-KratixStateStore @at | Sort-Object Kind)
            'Kratix.ValidationReport'  = @(Test-KratixRequest -Promise postgresql -Name too-big -Spec @{ replicas = 9; size = 'huge' } -Detailed @at)
            'Kratix.PlatformSyncResult' = @(Sync-KratixPlatform @at)
            'Kratix.PlatformInfo'      = @(Get-KratixPlatform @at)
            'Kratix.PipelineResult'    = @(Invoke-KratixPipeline -Promise $promiseFile -Request @{ metadata = @{ name = 'checkout-database' }; spec = @{ replicas = 1 } } -Runtime Host)
        }

        $KeyValues = @{
            'Kratix.Promise'           = { param($o) $o.Name, $o.State, $o.Status.kind, $o.Status.apiVersion, $o.Status.version }
            'Kratix.ResourceRequest'   = { param($o) $o.Namespace, $o.Name, $o.State, $o.Kind, $o.Promise }
            'Kratix.Destination'       = { param($o) $o.Name, $o.State, $o.StateStore, $o.Spec.path }
            'Kratix.GitStateStore'     = { param($o) $o.Name, $o.State, $o.Spec.url, $o.Spec.branch }
            'Kratix.BucketStateStore'  = { param($o) $o.Name, $o.State, $o.Spec.endpoint, $o.Spec.bucketName }
            'Kratix.Work'              = { param($o) $o.Namespace, $o.Name, $o.State, $o.Promise, $o.Labels['kratix.io/work-type'] }
            # A placement's name ends with its Destination's: with long names the Destination and Version columns are
            # the ones cut at 120 columns (the quickstart's shorter names show them whole: tested below).
            'Kratix.WorkPlacement'     = { param($o) $o.Namespace, $o.Name, $o.State }
            'Kratix.StateStoreTest'    = { param($o) $o.Kind, $o.Name, "$($o.Read)", "$($o.Write)" }
            'Kratix.ValidationReport'  = { param($o) $o.Kind, $o.Name, "$($o.IsValid)", $o.Source }
            'Kratix.PlatformSyncResult' = { param($o) "$($o.ObjectsReconciled)", "$($o.PipelinesRun)", "$($o.PlacementsWritten)", "$($o.PlacementsRemoved)", "$($o.FailureCount)" }
            'Kratix.PlatformInfo'      = { param($o) $o.Platform, $o.Backend, "$($o.Runtime)", "$($o.Promises)", "$($o.Requests)", "$($o.Destinations)", "$($o.StateStores)", "$($o.Works)" }
            'Kratix.PipelineResult'    = { param($o) $o.Name, $o.Phase, $o.Workflow, $o.Runtime, "$($o.Documents.Count)" }
        }

        # The lines of a table as a console this wide shows it: the header, the dashes, then one line per object.
        function Get-TableLine([object[]] $InputObject, [int] $Columns = $Width) {
            @(($InputObject | Out-String -Width $Columns) -split '\r?\n' | Where-Object { $_.Trim() })
        }

        # What the quickstart shows: a Promise with dependencies on one Destination, so one placement in kratix-platform-system.
        $quickstart = New-TestPlatform -Name 'quickstart'
        $null = Register-KratixStateStore -Name default -Url $quickstart.Remote -Platform $quickstart.Home
        Register-KratixDestination -Name dev-cluster -StateStore default -Label @{ environment = 'dev' } -Platform $quickstart.Home
        $null = Install-KratixPromise -Path (New-TestPromiseFile -Path (Join-Path $quickstart.Root 'redis.yaml') -Name redis) -Platform $quickstart.Home
        $QuickstartPlacement = Get-KratixWorkPlacement -Platform $quickstart.Home
    }

    It 'renders every kind of output: the test platform made at least one of each' {
        foreach ($entry in $Outputs.GetEnumerator()) {
            $entry.Value.Count | Should -BeGreaterThan 0 -Because "$($entry.Key) is one of the outputs"
            $entry.Value | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be $entry.Key }
        }
    }

    It 'shows <TypeName> as a table by default, its header whole within 120 columns' -ForEach @(
        @{ TypeName = 'Kratix.Promise'; Header = 'Name', 'Status', 'Kind', 'API Version', 'Version', 'Message' }
        @{ TypeName = 'Kratix.ResourceRequest'; Header = 'Namespace', 'Name', 'Status', 'Health', 'Kind', 'Promise', 'Message' }
        @{ TypeName = 'Kratix.Destination'; Header = 'Name', 'Ready', 'StateStore', 'Path', 'Labels', 'Message' }
        @{ TypeName = 'Kratix.GitStateStore'; Header = 'Name', 'Status', 'URL', 'Branch', 'Path', 'Message' }
        @{ TypeName = 'Kratix.BucketStateStore'; Header = 'Name', 'Status', 'Endpoint', 'Bucket', 'Path', 'Message' }
        @{ TypeName = 'Kratix.Work'; Header = 'Namespace', 'Name', 'Status', 'Promise', 'Type', 'Message' }
        @{ TypeName = 'Kratix.WorkPlacement'; Header = 'Namespace', 'Name', 'Status' }
        @{ TypeName = 'Kratix.StateStoreTest'; Header = 'Kind', 'Name', 'Read', 'Write', 'Duration', 'Message' }
        @{ TypeName = 'Kratix.ValidationReport'; Header = 'Kind', 'Name', 'IsValid', 'Source', 'Problems' }
        @{ TypeName = 'Kratix.PlatformSyncResult'; Header = 'Reconciled', 'PipelinesRun', 'PlacementsWritten', 'PlacementsRemoved', 'Failures', 'Duration', 'Platform' }
        @{ TypeName = 'Kratix.PlatformInfo'; Header = 'Platform', 'Backend', 'Runtime', 'Promises', 'Requests', 'Destinations', 'StateStores', 'Works' }
        @{ TypeName = 'Kratix.PipelineResult'; Header = 'Name', 'Phase', 'Workflow', 'Runtime', 'Documents', 'Duration', 'Error' }
    ) {
        $lines = Get-TableLine $Outputs[$TypeName]

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $lines[0].Trim() | Should -Match ('^' + (($Header | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '(\s|$)')
        $lines[1] | Should -Match '^[\s-]+$'
        $lines.Count | Should -Be (2 + $Outputs[$TypeName].Count) -Because 'each object is one line of the table'
    }

    It 'shows the identifying and status columns of <TypeName> uncut at 120 columns' -ForEach @(
        'Kratix.Promise', 'Kratix.ResourceRequest', 'Kratix.Destination', 'Kratix.GitStateStore', 'Kratix.BucketStateStore', 'Kratix.Work',
        'Kratix.WorkPlacement', 'Kratix.StateStoreTest', 'Kratix.ValidationReport', 'Kratix.PlatformSyncResult', 'Kratix.PlatformInfo',
        'Kratix.PipelineResult' | ForEach-Object { @{ TypeName = $_ } }
    ) {
        $objects = $Outputs[$TypeName]
        $rows = @((Get-TableLine $objects) | Select-Object -Skip 2)
        for ($i = 0; $i -lt $objects.Count; $i++) {
            $row = $rows[$i]
            $end = 0
            foreach ($value in & $KeyValues[$TypeName] $objects[$i]) {
                $value | Should -Not -BeNullOrEmpty -Because "every key column of $TypeName has a value here"
                $found = $row.IndexOf([string] $value, $end, [StringComparison]::Ordinal)
                $found | Should -BeGreaterOrEqual 0 -Because "the row '$row' shows '$value' whole, after the columns before it"
                $end = $found + ([string] $value).Length
            }

            $row.Substring(0, $end) | Should -Not -Match '…' -Because 'no key column is cut'
        }
    }

    It 'shows the WorkPlacement table of the quickstart whole at 120 columns' {
        $lines = Get-TableLine $QuickstartPlacement
        $lines[0] | Should -Match '^Namespace\s+Name\s+Status\s+Destination\s+Version$'
        $lines[2] | Should -Match ('^kratix-platform-system\s+' + [regex]::Escape($QuickstartPlacement.Name) + '\s+Ready\s+dev-cluster\s+' + $QuickstartPlacement.VersionId.Substring(0, 7) + '$')
    }

    It 'keeps the Status of the quickstart WorkPlacement whole even at 80 columns' {
        $lines = Get-TableLine $QuickstartPlacement -Columns 80
        $lines[0] | Should -Match '^Namespace\s+Name\s+Status\b'
        $lines | Where-Object { $_ -match [regex]::Escape($QuickstartPlacement.Name) } | Should -Match ('^kratix-platform-system\s+' + [regex]::Escape($QuickstartPlacement.Name) + '\s+Ready\s')
    }

    It 'shows long names whole at 120 columns: a placement of a request with a long name in a team namespace' {
        $placement = $Outputs['Kratix.WorkPlacement'] | Where-Object Name -Like 'postgresql-payments-database-primary-*'
        $placement | Should -HaveCount 1
        $placement.Name.Length | Should -BeGreaterThan 80 -Because 'the test uses a long, realistic name'
        $row = (Get-TableLine $Outputs['Kratix.WorkPlacement']) | Where-Object { $_.StartsWith('team-payments') }
        $row | Should -Match ('^team-payments\s+' + [regex]::Escape($placement.Name) + '\s+Ready\s')
    }

    It 'shows <TypeName> with its list view under Format-List' -ForEach @(
        @{ TypeName = 'Kratix.Promise'; Labels = 'Name', 'Status', 'Message', 'Kind', 'API Version', 'Version', 'Labels', 'Conditions' }
        @{ TypeName = 'Kratix.ResourceRequest'; Labels = 'Namespace', 'Name', 'Kind', 'API Version', 'Promise', 'Status', 'Message', 'Health', 'Spec', 'Labels', 'Conditions' }
        @{ TypeName = 'Kratix.Destination'; Labels = 'Name', 'Ready', 'Message', 'StateStore', 'Path', 'Filepath Mode', 'Labels', 'Conditions' }
        @{ TypeName = 'Kratix.GitStateStore'; Labels = 'Name', 'Status', 'Message', 'URL', 'Branch', 'Path', 'Secret', 'Auth Method', 'Conditions' }
        @{ TypeName = 'Kratix.BucketStateStore'; Labels = 'Name', 'Status', 'Message', 'Endpoint', 'Bucket', 'Path', 'Insecure', 'Secret', 'Auth Method', 'Conditions' }
        @{ TypeName = 'Kratix.Work'; Labels = 'Namespace', 'Name', 'Promise', 'Type', 'Request', 'Pipeline', 'Status', 'Message', 'Placements', 'Conditions' }
        @{ TypeName = 'Kratix.WorkPlacement'; Labels = 'Namespace', 'Name', 'Promise', 'Work', 'Destination', 'Status', 'Message', 'VersionId', 'Files', 'Conditions' }
        @{ TypeName = 'Kratix.StateStoreTest'; Labels = 'Kind', 'Name', 'Read', 'Write', 'Duration', 'Message' }
        @{ TypeName = 'Kratix.ValidationReport'; Labels = 'Kind', 'Name', 'Source', 'IsValid', 'Problems', 'Warnings' }
        @{ TypeName = 'Kratix.PlatformSyncResult'; Labels = 'Platform', 'Duration', 'StateStores', 'Destinations', 'Promises', 'Requests', 'Works', 'ObjectsReconciled', 'PipelinesRun', 'PlacementsWritten', 'PlacementsRemoved', 'WorksRemoved', 'DeletionsFinished', 'LeftoversRemoved', 'FailureCount', 'Failures', 'StateStoresRewritten', 'NextReconcile' }
        @{ TypeName = 'Kratix.PlatformInfo'; Labels = 'Platform', 'Backend', 'Promises', 'Requests', 'Destinations', 'StateStores', 'Works', 'Runtime', 'ContainerTimeout', 'MaxOutputBytes', 'ParallelWorkflows', 'Network', 'Server', 'Context', 'Namespace', 'ServerVersion', 'KratixInstalled', 'KratixVersion', 'Controller' }
        @{ TypeName = 'Kratix.PipelineResult'; Labels = 'Name', 'Workflow', 'Runtime', 'Phase', 'Succeeded', 'Duration', 'Documents', 'WorkloadGroups', 'Status', 'Error', 'WorkspacePath' }
    ) {
        $object = $Outputs[$TypeName][0]
        $text = $object | Format-List | Out-String -Width $Width
        # The labels of the list view, in order: a line that starts with a label and a colon (continuation lines are indented).
        $shown = @($text -split '\r?\n' | Where-Object { $_ -match '^(\S[^:]*?)\s*: ' -or $_ -match '^(\S[^:]*?)\s*:$' } | ForEach-Object { $Matches[1] })
        $shown | Should -Be $Labels
    }

    It 'lists conditions one per line in the list view' {
        $placement = $Outputs['Kratix.WorkPlacement'][0]
        $text = $placement | Format-List | Out-String -Width $Width
        $text | Should -Match 'Conditions\s+: ScheduleSucceeded=True ScheduledToDestination: Scheduled to correct Destination'
        $text | Should -Match '(?m)^\s+WriteSucceeded=True WorkloadsWrittenToStateStore: Workloads written to State Store'
        $text | Should -Match ("VersionId\s+: " + $placement.VersionId)
    }
}
