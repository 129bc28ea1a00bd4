#Requires -Version 7.4
# Pester 5: the same scenarios on both backends, the embedded platform (a platform home in TestDrive) and a cluster
# (the Kubernetes API server TEST DOUBLE with upstream Kratix's CRDs and a scripted stand-in for upstream's controllers,
# tests/Kratix.ClusterDouble, started as a process on 127.0.0.1). A script must not be able to tell the backends apart
# except where a capability truly differs; the cluster-only context covers those and the connection.

BeforeDiscovery {
    $Backends = @(@{ Backend = 'Embedded' }, @{ Backend = 'Cluster' })
}

Describe 'The same script on the <Backend> backend' -ForEach $Backends {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        if ($Backend -eq 'Cluster') {
            $Cluster = Start-KratixClusterDouble -Kubeconfig (Join-Path $TestDrive 'kubeconfig')
            $P = $Cluster.Location
        }
        else {
            $P = Join-Path $TestDrive 'home'
        }

        $PromiseFile = New-TestPromiseFile -Path (Join-Path $TestDrive 'cache.yaml') -Name cache -NoSelectors
    }

    AfterAll {
        if ($Cluster) { Stop-KratixClusterDouble -Cluster $Cluster }
    }

    It 'installs a Promise and waits until it is Available' {
        $promise = Install-KratixPromise -Path $PromiseFile -Wait -Timeout 60 -PassThru -Platform $P
        $promise.Name | Should -Be 'cache'
        @($promise.Conditions | Where-Object Type -EQ 'Available').Status | Should -Be 'True'
        (Get-KratixPromise -Name cache -Platform $P).Name | Should -Be 'cache'
        Wait-KratixPromise -Name cache -Timeout 30 -Platform $P | Should -BeNullOrEmpty
    }

    It 'installing the same Promise again changes nothing' {
        { Install-KratixPromise -Path $PromiseFile -Platform $P -ErrorAction Stop } | Should -Not -Throw
        @(Get-KratixPromise -Platform $P).Count | Should -Be 1
    }

    It 'submits a request and waits until it is Reconciled' {
        $request = New-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 2 } -Wait -Timeout 60 -Platform $P
        $request.Name | Should -Be 'alpha'
        $request.Namespace | Should -Be 'default'
        $request.Promise | Should -Be 'cache'
        (Wait-KratixRequest -Promise cache -Name alpha -Timeout 30 -PassThru -Platform $P).Name | Should -Be 'alpha'
        (Get-KratixRequest -Promise cache -Platform $P).Name | Should -Be 'alpha'
    }

    It 'relates the request to its Promise and traces it' {
        (Get-KratixPromise -Name cache -Platform $P | Get-KratixRequest -Platform $P).Name | Should -Be 'alpha'
        $trace = Trace-KratixRequest -Promise cache -Name alpha -Platform $P -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $trace | Should -Not -BeNullOrEmpty
        ($trace | Out-String) | Should -Match 'alpha'
    }

    Context 'Promise versions' {
        BeforeAll {
            # On a cluster upstream's controller (here its stand-in) writes revisions, bindings and versions after the
            # command returns; on the embedded platform they are there at once.
            function Wait-Until([scriptblock] $Condition) {
                $deadline = (Get-Date).AddSeconds(30)
                while (-not (& $Condition)) {
                    if ((Get-Date) -gt $deadline) { throw "Timed out waiting for: $Condition" }
                    Start-Sleep -Milliseconds 100
                }
            }
        }

        It 'keeps a revision per Promise version and a binding per request, and the versions on the request' {
            Wait-Until { @(Get-KratixPromiseRevision -Promise cache -Platform $P).Count -eq 1 }
            $revision = Get-KratixPromiseRevision -Promise cache -Platform $P
            $revision.PSObject.TypeNames[0] | Should -Be 'Kratix.PromiseRevision'
            $revision.Spec.version | Should -Be 'v1.0.0'
            $revision.Status.latest | Should -BeTrue

            Wait-Until { (Get-KratixRequest -Promise cache -Name alpha -Platform $P).Status.promiseVersion -eq 'v1.0.0' }
            (Get-KratixRequest -Promise cache -Name alpha -Platform $P).Status.resourceBindingVersion | Should -Be 'latest'
            $binding = Get-KratixRequest -Promise cache -Name alpha -Platform $P | Get-KratixResourceBinding -Platform $P
            $binding.PSObject.TypeNames[0] | Should -Be 'Kratix.ResourceBinding'
            $binding.Spec.version | Should -Be 'latest'
            $binding.Spec.resourceRef.name | Should -Be 'alpha'
        }

        It 'moves a request to a version and back to latest' {
            $null = Update-KratixRequest -Promise cache -Name alpha -Version v1.0.0 -Platform $P
            (Get-KratixResourceBinding -Promise cache -Request alpha -Platform $P).Spec.version | Should -Be 'v1.0.0'
            Wait-Until { (Get-KratixRequest -Promise cache -Name alpha -Platform $P).Status.resourceBindingVersion -eq 'v1.0.0' }

            $null = Get-KratixRequest -Promise cache -Name alpha -Platform $P | Update-KratixRequest -Version latest -Platform $P
            Wait-Until { (Get-KratixRequest -Promise cache -Name alpha -Platform $P).Status.resourceBindingVersion -eq 'latest' }
        }

        It 'refuses a version the Promise does not have, and the latest revision''s removal' {
            Update-KratixRequest -Promise cache -Name alpha -Version v9 -Platform $P -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PromiseRevisionNotFound*'
            $latest = Get-KratixPromiseRevision -Promise cache -Latest -Platform $P
            Remove-KratixPromiseRevision -Name $latest.Name -Confirm:$false -Platform $P -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'PromiseRevisionIsLatest*'
        }
    }

    It 'refuses an invalid request with every field error, as RequestInvalid' {
        New-KratixRequest -Promise cache -Name bad -Spec @{ size = 'huge'; replicas = 9 } -Platform $P -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RequestInvalid,*'
        "$($failed[0])" | Should -Match 'spec\.size: Unsupported value: "huge"'
        "$($failed[0])" | Should -Match 'spec\.replicas: Invalid value: 9'
        Get-KratixRequest -Promise cache -Name bad -Platform $P -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'tests a request without storing it' {
        $report = Test-KratixRequest -Promise cache -Name beta -Spec @{ size = 'huge'; replicas = 1 } -Detailed -Platform $P
        $report.IsValid | Should -BeFalse
        ($report.Problems -join "`n") | Should -Match 'spec\.size'
        Test-KratixRequest -Promise cache -Name beta -Spec @{ replicas = 1 } -Platform $P | Should -BeTrue
        Get-KratixRequest -Promise cache -Name beta -Platform $P -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'registers a state store and a Destination and lists them' {
        $archive = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'archive') -Force
        Register-KratixStateStore -Name archive -Directory $archive.FullName -Platform $P
        Register-KratixDestination -Name edge -StateStore archive -StateStoreKind BucketStateStore -Label @{ tier = 'edge' } -Platform $P
        (Get-KratixStateStore -Name archive -Platform $P).Kind | Should -Be 'BucketStateStore'
        (Get-KratixDestination -Name edge -Platform $P).Labels.tier | Should -Be 'edge'
        Unregister-KratixDestination -Name edge -Platform $P -Confirm:$false
        Get-KratixDestination -Name edge -Platform $P -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'says which condition is not true when a wait cannot be satisfied' {
        Wait-KratixPromise -Name cache -Condition NeverHappens -Timeout 1 -Platform $P -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WaitConditionNotMet,*'
        "$($failed[0])" | Should -Match 'has no NeverHappens condition'
    }

    It 'records a request''s health, which its request then shows' {
        Set-KratixHealthRecord -Promise cache -Name alpha -State degraded -Source check -Details @{ reason = 'slow' } -Platform $P -WarningAction SilentlyContinue
        (Get-KratixHealthRecord -Name cache-alpha-check -Platform $P).State | Should -Be 'degraded'
        # On a cluster upstream's controller (here its stand-in) aggregates the record after the command returns.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-KratixRequest -Promise cache -Name alpha -Platform $P).Health -ne 'degraded' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $alpha = Get-KratixRequest -Promise cache -Name alpha -Platform $P
        $alpha.Health | Should -Be 'degraded'
        $alpha.Status.healthStatus.healthRecords[0].source.name | Should -Be 'cache-alpha-check'
        Remove-KratixHealthRecord -Name cache-alpha-check -Platform $P
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-KratixHealthRecord -Platform $P).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-KratixHealthRecord -Platform $P | Should -BeNullOrEmpty
        (Get-KratixRequest -Promise cache -Name alpha -Platform $P).Health | Should -Be 'ready'
    }

    It 'probes the Promise end to end and records the outcome' {
        $result = Measure-KratixPromise -Name cache -Spec @{ replicas = 1 } -Timeout 60 -Platform $P

        $result.Success | Should -BeTrue -Because $result.Message
        $result.Backend | Should -Be $Backend
        $result.TimeToReconciled | Should -Not -BeNullOrEmpty
        $result.TimeToRemoved | Should -Not -BeNullOrEmpty
        (Get-KratixRequest -Promise cache -Platform $P).Name | Should -Not -Contain $result.Request
        $record = Get-KratixHealthRecord -Name cache-probe -Platform $P
        $record.State | Should -Be 'healthy'
        $record.Data.details.success | Should -BeTrue
        Remove-KratixHealthRecord -Name cache-probe -Platform $P
    }

    It 'removes a request and waits until it is gone' {
        Remove-KratixRequest -Promise cache -Name alpha -Wait -Timeout 60 -Platform $P -Confirm:$false
        Get-KratixRequest -Promise cache -Platform $P | Should -BeNullOrEmpty
    }

    It 'uninstalls the Promise and waits until it is gone' {
        Uninstall-KratixPromise -Name cache -Wait -Timeout 60 -Platform $P -Confirm:$false
        Get-KratixPromise -Platform $P | Should -BeNullOrEmpty
    }
}

Describe 'A cluster platform' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
        $Cluster = Start-KratixClusterDouble -Kubeconfig (Join-Path $TestDrive 'kubeconfig')
        $Home1 = Join-Path $TestDrive 'home'
    }

    AfterAll {
        Connect-KratixPlatform -Path (Join-Path $TestDrive 'after')
        Stop-KratixClusterDouble -Cluster $Cluster
    }

    It 'is connected to by kubeconfig and context, and described' {
        $info = Connect-KratixPlatform -Kubeconfig $Cluster.Kubeconfig -Context apiserver-double -PassThru
        $info.Backend | Should -Be 'Cluster'
        $info.Server | Should -Be $Cluster.Server
        $info.Context | Should -Be 'apiserver-double'
        $info.KratixInstalled | Should -BeTrue
        $info.KratixVersion | Should -Be 'v0.140.0'
        (Get-KratixPlatform).Platform | Should -Be $Cluster.Location
    }

    It 'works beside a platform home in one script' {
        $file = New-TestPromiseFile -Path (Join-Path $TestDrive 'side.yaml') -Name side -NoSelectors
        Install-KratixPromise -Path $file -Platform $Home1
        Install-KratixPromise -Path $file -Wait -Timeout 60
        (Get-KratixPromise -Platform $Home1).Name | Should -Be 'side'
        (Get-KratixPromise).Name | Should -Be 'side'
        (Get-KratixPlatform -Platform $Home1).Backend | Should -Be 'Embedded'
        (Get-KratixPlatform).Backend | Should -Be 'Cluster'
    }

    It 'refuses what has no meaning on a cluster, by name' {
        { Sync-KratixPlatform -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotSupportedOnCluster,Kratix.PowerShell.Cmdlets.SyncKratixPlatformCommand'
        { Sync-KratixPlatform -Continuous -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotSupportedOnCluster,Kratix.PowerShell.Cmdlets.SyncKratixPlatformCommand'
        { Connect-KratixPlatform -Kubeconfig $Cluster.Kubeconfig -Runtime Host -ErrorAction Stop } | Should -Throw -ErrorId 'NotSupportedOnCluster,Kratix.PowerShell.Cmdlets.ConnectKratixPlatformCommand'
    }

    It 'shows workflow runs from upstream''s Jobs in a trace, and reads their Pods'' logs per container' {
        $file = Join-Path $TestDrive 'piped.yaml'
        Set-Content -LiteralPath $file -Value @'
apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: piped
spec:
  api:
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: pipeds.test.kratix.io
    spec:
      group: test.kratix.io
      names: { kind: Piped, plural: pipeds, singular: piped }
      scope: Namespaced
      versions:
        - name: v1alpha1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
  workflows:
    resource:
      configure:
        - apiVersion: platform.kratix.io/v1alpha1
          kind: Pipeline
          metadata: { name: instance-configure }
          spec:
            containers:
              - { name: render, image: ghcr.io/acme/render:v1 }
'@
        Install-KratixPromise -Path $file -Wait -Timeout 60
        New-KratixRequest -Promise piped -Name web -Wait -Timeout 60 | Out-Null

        $logs = Get-KratixRequest -Promise piped -Name web | Get-KratixPipelineLog
        $logs.Container | Should -Be @('reader', 'render', 'work-writer', 'status-writer')
        ($logs | Where-Object Container -EQ 'render').Log | Should -Match 'render: configure resource pipeline instance-configure for Piped default/web'
        ($logs | Where-Object Container -EQ 'render').Runtime | Should -Be 'Kubernetes'
        (Get-KratixPipelineLog -Promise piped -Name web -Container render -Tail 1).Log | Should -Match '^render: '

        $trace = Trace-KratixRequest -Promise piped -Name web
        ($trace | Out-String) | Should -Match 'instance-configure'
        ($trace | Out-String) | Should -Match 'Kubernetes'
        { Get-KratixPipelineLog -Promise piped -Name nothing-here -ErrorAction Stop } | Should -Throw -ErrorId 'RequestNotFound*'
    }

    It 'completes names from the cluster, bounded so a silent server never holds the prompt' {
        Connect-KratixPlatform -Kubeconfig $Cluster.Kubeconfig -Context apiserver-double
        $line = 'Get-KratixPromise -Name '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'side'
        $line = "Get-KratixRequest -Platform '$($Cluster.Location)' -Promise "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'side'
        $line = 'New-KratixRequest -Promise side -Namespace kratix-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'kratix-platform-system'

        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        try {
            $kubeconfig = Join-Path $TestDrive 'silent-kubeconfig'
            Set-Content -LiteralPath $kubeconfig -Value @"
apiVersion: v1
kind: Config
clusters: [{ name: silent, cluster: { server: "https://127.0.0.1:$($silent.LocalEndpoint.Port)", insecure-skip-tls-verify: true } }]
users: [{ name: someone, user: { token: abc } }]
contexts: [{ name: silent, context: { cluster: silent, user: someone } }]
current-context: silent
"@
            $line = "Get-KratixPromise -Platform 'kube:silent?kubeconfig=$kubeconfig' -Name "
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
        }
        finally {
            $silent.Stop()
        }
    }

    It 'reuses one connection from Connect-KratixPlatform through the cmdlets after it' {
        Connect-KratixPlatform -Kubeconfig $Cluster.Kubeconfig -Context apiserver-double
        foreach ($verbose in @((Get-KratixPromise -Verbose 4>&1), (Get-KratixRequest -Verbose 4>&1), (Get-KratixDestination -Verbose 4>&1))) {
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Reusing the connection to'
        }

        # A changed kubeconfig is read again.
        Add-Content -LiteralPath $Cluster.Kubeconfig -Value '# touched'
        ((Get-KratixPromise -Verbose 4>&1) | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Read the kubeconfig'
    }

    It 'applies a request sent right after its Promise, waiting for the Promise''s API' {
        $file = New-TestPromiseFile -Path (Join-Path $TestDrive 'quick.yaml') -Name quick -NoSelectors
        Install-KratixPromise -Path $file
        $request = New-KratixRequest -Promise quick -Name at-once -Spec @{ replicas = 1 } -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $request.Name | Should -Be 'at-once'
    }

    It 'keeps state store credentials out of output and verbose messages' {
        $secret = 'pa55-Word-never-shown'
        $credential = [pscredential]::new('kratix-bot', (ConvertTo-SecureString $secret -AsPlainText -Force))
        $everything = Register-KratixStateStore -Name git -Url https://git.example.com/platform.git -Credential $credential -PassThru -Verbose 4>&1 | Out-String
        $everything | Should -Not -Match $secret
        $everything | Should -Match 'git-git-credentials'
        (Get-KratixStateStore -Name git | Format-List * | Out-String) | Should -Not -Match $secret
    }

    It 'says once, clearly, that a cluster without Kratix has no Kratix' {
        $empty = Start-KratixClusterDouble -Kubeconfig (Join-Path $TestDrive 'empty') -NoKratix
        try {
            $info = Connect-KratixPlatform -Kubeconfig $empty.Kubeconfig -PassThru -WarningVariable warned -WarningAction SilentlyContinue
            $info.KratixInstalled | Should -BeFalse
            $info.Promises | Should -BeNullOrEmpty
            "$warned" | Should -Match 'Kratix is not installed'
            Get-KratixPromise -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'KratixNotInstalled,*'
            "$($failed[0])" | Should -Match ([regex]::Escape($empty.Server))
        }
        finally {
            Connect-KratixPlatform -Kubeconfig $Cluster.Kubeconfig
            Stop-KratixClusterDouble -Cluster $empty
        }
    }

    It 'names the server and what to check when it cannot be reached' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $closed = Join-Path $TestDrive 'closed'
        (Get-Content -LiteralPath $Cluster.Kubeconfig -Raw).Replace($Cluster.Server, "https://127.0.0.1:$port") | Set-Content -LiteralPath $closed
        { Get-KratixPromise -Platform "kube:apiserver-double?kubeconfig=$closed" -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterConnectionRefused,Kratix.PowerShell.Cmdlets.GetKratixPromiseCommand'
        { Connect-KratixPlatform -Kubeconfig $closed -ErrorAction Stop } | Should -Throw "*127.0.0.1:$port*"
        (Get-KratixPlatform).Platform | Should -Be $Cluster.Location
    }
}

Describe 'Moving a platform between a home and a cluster (Export-KratixPlatform, Import-KratixPlatform)' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
        $Cluster = Start-KratixClusterDouble -Kubeconfig (Join-Path $TestDrive 'kubeconfig')
        $Laptop = Join-Path $TestDrive 'laptop'
        $Back = Join-Path $TestDrive 'back'
        $Secret = 'pa55-Word-never-exported'
        $Kinds = { param($yaml) @($yaml -split "`n" | Where-Object { $_ -match '^kind: ' } | ForEach-Object { ($_ -replace '^kind: ', '').Trim() }) }

        $archive = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'archive') -Force
        Register-KratixStateStore -Name archive -Directory $archive.FullName -Platform $Laptop
        Register-KratixDestination -Name edge -StateStore archive -StateStoreKind BucketStateStore -Label @{ tier = 'edge' } -Platform $Laptop
        Install-KratixPromise -Path (New-TestPromiseFile -Path (Join-Path $TestDrive 'cache.yaml') -Name cache -NoSelectors) -Platform $Laptop
        New-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 2; size = 'large' } -Platform $Laptop
        New-KratixRequest -Promise cache -Name beta -Spec @{ replicas = 1 } -Platform $Laptop
    }

    AfterAll {
        Stop-KratixClusterDouble -Cluster $Cluster
    }

    It 'exports a home in an order that applies, without what the home manages' {
        $file = Export-KratixPlatform -FilePath (Join-Path $TestDrive 'laptop.yaml') -Platform $Laptop
        $file | Should -BeOfType System.IO.FileInfo
        $yaml = Get-Content -LiteralPath $file.FullName -Raw
        & $Kinds $yaml | Should -Be @('BucketStateStore', 'Destination', 'Promise', 'Cache', 'Cache')
        $yaml | Should -Not -Match '(?m)^status:|resourceVersion|creationTimestamp|uid:|kratix\.io/applied-from'
        Export-KratixPlatform -FilePath (Join-Path $TestDrive 'none.yaml') -Platform $Laptop -WhatIf
        Join-Path $TestDrive 'none.yaml' | Should -Not -Exist
    }

    It 'previews an import with -WhatIf and changes nothing' {
        Import-KratixPlatform -Path (Join-Path $TestDrive 'laptop.yaml') -Platform $Cluster.Location -WhatIf | Should -BeNullOrEmpty
        Get-KratixPromise -Platform $Cluster.Location | Should -BeNullOrEmpty
    }

    It 'imports the export into a cluster, each object applied, Promises before their requests' {
        $applied = Import-KratixPlatform -Path (Join-Path $TestDrive 'laptop.yaml') -Timeout 60 -Platform $Cluster.Location -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        @($applied).Count | Should -Be 5
        (Get-KratixPromise -Platform $Cluster.Location).Name | Should -Be 'cache'
        (Get-KratixRequest -Promise cache -Platform $Cluster.Location).Name | Sort-Object | Should -Be @('alpha', 'beta')
        (Get-KratixRequest -Promise cache -Name alpha -Platform $Cluster.Location).Spec.size | Should -Be 'large'
        (Get-KratixDestination -Name edge -Platform $Cluster.Location).Labels.tier | Should -Be 'edge'
    }

    It 'parses with the real kubectl (server-side dry run against the cluster)' {
        # Never skipped: .ci/run makes sure kubectl is there, and a machine without it fails here saying so.
        Get-Command kubectl -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because 'this test runs the real kubectl against the API server double; install kubectl 1.27 or later'
        $out = kubectl --kubeconfig $Cluster.Kubeconfig apply --server-side --dry-run=server -o name -f (Join-Path $TestDrive 'laptop.yaml') 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$out"
        @($out).Count | Should -Be 5
    }

    It 'exports the cluster back with the same objects, and never a Secret value' {
        $credential = [pscredential]::new('kratix-bot', (ConvertTo-SecureString $Secret -AsPlainText -Force))
        Register-KratixStateStore -Name git -Url https://git.example.com/platform.git -Credential $credential -Platform $Cluster.Location
        $yaml = Export-KratixPlatform -Platform $Cluster.Location
        $yaml | Should -BeOfType string
        $yaml | Should -Not -Match $Secret
        $yaml | Should -Not -Match ([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Secret)))
        $yaml | Should -Not -Match '(?m)^kind: Secret|managedFields|finalizers'
        $yaml | Should -Match 'name: git-git-credentials'
        & $Kinds $yaml | Should -Be @('BucketStateStore', 'GitStateStore', 'Destination', 'Promise', 'Cache', 'Cache')
    }

    It 'imports the cluster export into a home, one failure not stopping the rest' {
        Unregister-KratixStateStore -Name git -Platform $Cluster.Location -Confirm:$false
        $yaml = Export-KratixPlatform -Platform $Cluster.Location
        ($yaml + "---`napiVersion: v1`nkind: Secret`nmetadata:`n  name: stray`n") | Import-KratixPlatform -Platform $Back -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretNotImported,*'
        (Get-KratixRequest -Promise cache -Platform $Back).Name | Sort-Object | Should -Be @('alpha', 'beta')
        $strip = { param($text) ($text -split "`n" | Where-Object { $_ -notmatch 'kratix\.io/' }) -join "`n" }
        (& $strip (Export-KratixPlatform -Platform $Back)) | Should -Be (& $strip (Export-KratixPlatform -Platform $Laptop))
    }

    It 'exports the Namespaces the requests need first, so kubectl applies it to a fresh cluster (apply, wait for the Promise, apply again)' {
        New-KratixRequest -Promise cache -Name gamma -Namespace team-b -Spec @{ replicas = 1 } -Platform $Laptop | Out-Null
        $file = Export-KratixPlatform -FilePath (Join-Path $TestDrive 'with-namespace.yaml') -Platform $Laptop
        $yaml = Get-Content -LiteralPath $file.FullName -Raw
        & $Kinds $yaml | Should -Be @('Namespace', 'BucketStateStore', 'Destination', 'Promise', 'Cache', 'Cache', 'Cache')
        $yaml | Should -Match '(?m)^kind: Namespace\r?\nmetadata:\r?\n  name: team-b'

        $fresh = Start-KratixClusterDouble -Kubeconfig (Join-Path $TestDrive 'fresh-kubeconfig')
        try {
            # The first apply makes the Namespace, the store, the Destination and the Promise; kubectl does not wait for
            # the Promise's CRD, so the requests are refused ("no matches for kind") until it is served.
            $first = kubectl --kubeconfig $fresh.Kubeconfig apply --server-side -f $file.FullName 2>&1
            "$first" | Should -Match 'namespace/team-b serverside-applied'
            $wait = kubectl --kubeconfig $fresh.Kubeconfig wait promises.platform.kratix.io --all --for=condition=Available --timeout=60s 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "$wait"
            $second = kubectl --kubeconfig $fresh.Kubeconfig apply --server-side -f $file.FullName 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "$second"
            (Get-KratixRequest -Promise cache -Namespace team-b -Platform $fresh.Location).Name | Should -Be 'gamma'

            # Import-KratixPlatform applies the Namespace document too (not output: it is not a Kratix object).
            $applied = Import-KratixPlatform -Path $file.FullName -Timeout 60 -Platform $fresh.Location -ErrorVariable failed
            $failed | Should -BeNullOrEmpty
            @($applied).Count | Should -Be 6
            (Get-KratixRequest -Promise cache -Namespace team-b -Platform $fresh.Location).Name | Should -Be 'gamma'
        }
        finally {
            Stop-KratixClusterDouble -Cluster $fresh
        }
    }
}
