#Requires -Version 7.4
# Pester 5: the Promise author's toolkit through the cmdlets (New-KratixPromise, Add-KratixPipelineContainer,
# Build-KratixPromise, Update-KratixPromiseApi, Update-KratixPromise, Build-KratixPipelineImage) and the Kratix SDK for
# PowerShell pipeline scripts (out/Kratix/Sdk/Kratix.Sdk). Every scaffold is validated with Test-KratixPromise,
# installed on an embedded platform and its pipeline run on the Host runtime (Linux and bubblewrap); images are built
# with podman from files the tests make, never pulled.

BeforeAll {
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
    $SdkFolder = Join-Path $RepoRoot 'out/Kratix/Sdk/Kratix.Sdk'
    # The SDK also reads the YAML the cmdlets write (ConvertFrom-KratixYaml), in every Describe.
    Import-Module $SdkFolder -Force
    $PodmanArguments = @('--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=4096:4096', '--runtime', 'runc')

    # A folder laid out like a PowerShell pipeline image for the Host runtime: the container folder's scripts and SDK,
    # and this session's pwsh as hard links in /opt/pwsh (the sandbox sees only the host's system folders).
    function New-PwshImageFolder([string] $ContainerFolder, [string] $Destination) {
        $null = New-Item -ItemType Directory -Path (Join-Path $Destination 'opt') -Force
        Copy-Item -LiteralPath (Join-Path $ContainerFolder 'scripts') -Destination $Destination -Recurse
        Copy-Item -LiteralPath (Join-Path $ContainerFolder 'sdk') -Destination $Destination -Recurse
        & cp -al $PSHOME (Join-Path $Destination 'opt' 'pwsh') 2>$null
        if ($LASTEXITCODE -ne 0) { Copy-Item -LiteralPath $PSHOME -Destination (Join-Path $Destination 'opt' 'pwsh') -Recurse -Force }
        @{ Path = $Destination; Entrypoint = @('/opt/pwsh/pwsh', '-NoLogo', '-NoProfile', '-NonInteractive', '-File', '/scripts/pipeline.ps1') }
    }
}

Describe 'The Kratix SDK for PowerShell' {
    BeforeAll {
        $SavedRoot = $env:KRATIX_SDK_ROOT
        $SavedType = $env:KRATIX_WORKFLOW_TYPE
        $SavedAction = $env:KRATIX_WORKFLOW_ACTION
        $Root = Join-Path $TestDrive 'kratix'
        $null = New-Item -ItemType Directory -Path (Join-Path $Root 'input'), (Join-Path $Root 'output'), (Join-Path $Root 'metadata') -Force
        Set-Content -LiteralPath (Join-Path $Root 'input/object.yaml') -Value @'
apiVersion: example.kratix.io/v1alpha1
kind: App
metadata:
  name: shop
  namespace: team-a
  labels: {tier: web}
  annotations: {note: "hi"}
spec:
  replicas: 3
  version: "1.10"
  ratio: 0.5
  tls:
    enabled: true
  ports: [80, 443]
  nothing: null
status:
  message: earlier
'@
        $env:KRATIX_SDK_ROOT = $Root
    }

    AfterAll {
        $env:KRATIX_SDK_ROOT = $SavedRoot
        $env:KRATIX_WORKFLOW_TYPE = $SavedType
        $env:KRATIX_WORKFLOW_ACTION = $SavedAction
    }

    It 'reads the input object with typed values at dotted paths' {
        $app = Read-KratixResourceInput

        $app.GetName() | Should -Be 'shop'
        $app.GetNamespace() | Should -Be 'team-a'
        $app.GetValue('spec.replicas') | Should -BeOfType [int]
        $app.GetValue('spec.replicas') | Should -Be 3
        $app.GetValue('spec.version') | Should -BeOfType [string]
        $app.GetValue('spec.version') | Should -Be '1.10'
        $app.GetValue('spec.ratio') | Should -Be 0.5
        $app.GetValue('spec.tls.enabled') | Should -BeTrue
        $app.GetValue('spec.ports[1]') | Should -Be 443
        $app.GetValue('spec.nothing') | Should -BeNullOrEmpty
        $app.GetValue('spec.missing.deeper') | Should -BeNullOrEmpty
        $app.GetLabels().tier | Should -Be 'web'
        $app.GetAnnotations().note | Should -Be 'hi'
        $app.GetGroupVersionKind().Group | Should -Be 'example.kratix.io'
        $app.GetStatus().Get('message') | Should -Be 'earlier'
        Get-KratixValue spec.tls.enabled | Should -BeTrue
    }

    It 'writes objects as YAML documents, quoting strings that would read as other types' {
        @(
            @{ apiVersion = 'v1'; kind = 'ConfigMap'; metadata = @{ name = 'a' }; data = @{ on = 'true'; count = '3' } }
            [pscustomobject]@{ apiVersion = 'v1'; kind = 'Secret'; metadata = [pscustomobject]@{ name = 'b' } }
        ) | Write-KratixOutput -Path 'app/objects.yaml'

        $documents = @(Get-Content -LiteralPath (Join-Path $Root 'output/app/objects.yaml') -Raw | ConvertFrom-KratixYaml)
        $documents | Should -HaveCount 2
        $documents[0].data.on | Should -BeOfType [string]
        $documents[0].data.count | Should -Be '3'
        $documents[1].kind | Should -Be 'Secret'
    }

    It 'writes text as it is, and refuses a path outside the output' {
        Write-KratixOutput -Path 'notes.txt' -Content 'as is'
        Get-Content -LiteralPath (Join-Path $Root 'output/notes.txt') -Raw | Should -Be 'as is'

        { Write-KratixOutput -Path '../escape.txt' -Content 'x' } | Should -Throw '*must be relative*'
    }

    It 'reads, changes and writes the status' {
        Write-KratixStatus @{ message = 'first' }
        $status = Read-KratixStatus
        $status.Set('database.host', 'db.svc')
        $status.Remove('message')
        Write-KratixStatus $status

        $written = Get-Content -LiteralPath (Join-Path $Root 'metadata/status.yaml') -Raw | ConvertFrom-KratixYaml
        $written.database.host | Should -Be 'db.svc'
        $written.Contains('message') | Should -BeFalse
    }

    It 'writes destination selectors to destination-selectors.yaml, appending on request' {
        Write-KratixDestinationSelector -MatchLabel @{ environment = 'dev' }
        Write-KratixDestinationSelector -MatchLabel @{ region = 'eu' } -Directory eu -Append

        Test-Path -LiteralPath (Join-Path $Root 'metadata/destination-selectors.yaml') | Should -BeTrue
        $selectors = @(Read-KratixDestinationSelector)
        $selectors | Should -HaveCount 2
        $selectors[0].MatchLabels.environment | Should -Be 'dev'
        $selectors[1].Directory | Should -Be 'eu'
    }

    It 'suspends the workflow, or asks for a retry after a Go duration' {
        Suspend-KratixWorkflow -Message 'waiting for approval'
        $control = Get-Content -LiteralPath (Join-Path $Root 'metadata/workflow-control.yaml') -Raw | ConvertFrom-KratixYaml
        $control.suspend | Should -BeTrue
        $control.message | Should -Be 'waiting for approval'

        Suspend-KratixWorkflow -RetryAfter 1h30m
        (Get-Content -LiteralPath (Join-Path $Root 'metadata/workflow-control.yaml') -Raw | ConvertFrom-KratixYaml).retryAfter | Should -Be '1h30m'
        { Suspend-KratixWorkflow -RetryAfter 'five minutes' } | Should -Throw
    }

    It 'tells the workflow from the KRATIX_* variables' {
        $env:KRATIX_WORKFLOW_TYPE = 'resource'
        $env:KRATIX_WORKFLOW_ACTION = 'delete'

        Test-KratixWorkflow -Type Resource | Should -BeTrue
        Test-KratixWorkflow -Type Promise | Should -BeFalse
        Test-KratixWorkflow -Action Delete | Should -BeTrue
        (Get-KratixWorkflow).Action | Should -Be 'delete'
    }
}

Describe 'New-KratixPromise' {
    It 'writes promise.yaml, example-resource.yaml and README.md, and the Promise is valid' {
        $folder = Join-Path $TestDrive 'flat'

        $files = New-KratixPromise -Name database -Group acme.io -Kind Database -Directory $folder

        $files.Name | Should -Be @('promise.yaml', 'example-resource.yaml', 'README.md')
        Test-KratixPromise -Path (Join-Path $folder 'promise.yaml') | Should -BeTrue
        Test-KratixRequest -PromisePath (Join-Path $folder 'promise.yaml') -Path (Join-Path $folder 'example-resource.yaml') | Should -BeTrue
    }

    It 'splits into api.yaml and dependencies.yaml with -Split' {
        $folder = Join-Path $TestDrive 'split'

        New-KratixPromise -Name cache -Group acme.io -Kind Cache -Version v1 -Plural caches -Split -Directory $folder | Out-Null

        Test-Path -LiteralPath (Join-Path $folder 'promise.yaml') | Should -BeFalse
        Get-Content -LiteralPath (Join-Path $folder 'api.yaml') -Raw | Should -Match 'name: caches.acme.io'
        Test-Path -LiteralPath (Join-Path $folder 'dependencies.yaml') | Should -BeTrue
    }

    It 'refuses to overwrite, and writes nothing with -WhatIf' {
        $folder = Join-Path $TestDrive 'twice'
        New-KratixPromise -Name one -Group acme.io -Kind One -Directory $folder | Out-Null

        New-KratixPromise -Name one -Group acme.io -Kind One -Directory $folder -ErrorAction SilentlyContinue -ErrorVariable problems | Out-Null
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PromiseFolderNotEmpty*'

        New-KratixPromise -Name two -Group acme.io -Kind Two -Directory (Join-Path $TestDrive 'whatif') -WhatIf
        Test-Path -LiteralPath (Join-Path $TestDrive 'whatif') | Should -BeFalse
    }
}

Describe 'Update-KratixPromiseApi and Update-KratixPromise' {
    BeforeAll {
        $Folder = Join-Path $TestDrive 'api'
        New-KratixPromise -Name database -Group acme.io -Kind Database -Directory $Folder | Out-Null
        $PromiseFile = Join-Path $Folder 'promise.yaml'
    }

    It 'adds nested properties and removes them with a - suffix or -Remove' {
        Update-KratixPromiseApi -Property size:string, replicas:integer, tls.enabled:boolean, tls.issuer:string -Directory $Folder
        Update-KratixPromiseApi -Property 'size-' -Remove tls.issuer -Directory $Folder

        $properties = (Get-Content -LiteralPath $PromiseFile -Raw | ConvertFrom-KratixYaml).spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties
        $properties.Keys | Should -Not -Contain 'size'
        $properties.replicas.type | Should -Be 'integer'
        $properties.tls.properties.enabled.type | Should -Be 'boolean'
        $properties.tls.properties.Keys | Should -Not -Contain 'issuer'
        Test-KratixRequest -PromisePath $PromiseFile -InputObject @{ apiVersion = 'acme.io/v1alpha1'; kind = 'Database'; metadata = @{ name = 'a' }; spec = @{ replicas = 2; tls = @{ enabled = $true } } } | Should -BeTrue
    }

    It 'adds properties a request can then use' {
        Update-KratixPromiseApi -Property region:string, ha:boolean -Directory $Folder

        Test-KratixRequest -PromisePath $PromiseFile -InputObject @{ apiVersion = 'acme.io/v1alpha1'; kind = 'Database'; metadata = @{ name = 'a' }; spec = @{ region = 'eu'; ha = $true } } | Should -BeTrue
        Test-KratixRequest -PromisePath $PromiseFile -InputObject @{ apiVersion = 'acme.io/v1alpha1'; kind = 'Database'; metadata = @{ name = 'a' }; spec = @{ ha = 'yes' } } | Should -BeFalse
    }

    It 'refuses an unknown type' {
        Update-KratixPromiseApi -Property size:text -Directory $Folder -ErrorAction SilentlyContinue -ErrorVariable problems
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PromiseApiPropertyInvalid*'
    }

    It 'renames the API and updates the example request' {
        $renamed = Join-Path $TestDrive 'renamed'
        New-KratixPromise -Name store -Group acme.io -Kind Store -Directory $renamed | Out-Null

        $files = Update-KratixPromiseApi -Group shop.acme.io -Kind Shop -Version v1 -Directory $renamed -PassThru

        $files.Name | Should -Contain 'example-resource.yaml'
        Test-KratixRequest -PromisePath (Join-Path $renamed 'promise.yaml') -Path (Join-Path $renamed 'example-resource.yaml') | Should -BeTrue
        Get-Content -LiteralPath (Join-Path $renamed 'example-resource.yaml') -Raw | Should -Match 'apiVersion: shop.acme.io/v1'
    }

    It 'takes dependencies from a folder of manifests and destination selectors' {
        $deps = Join-Path $TestDrive 'deps'
        $null = New-Item -ItemType Directory -Path $deps
        Set-Content -LiteralPath (Join-Path $deps 'namespace.yaml') -Value "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: databases"
        Set-Content -LiteralPath (Join-Path $deps 'config.yaml') -Value "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: settings`ndata:`n  a: b"

        Update-KratixPromise -DependencyPath $deps -DestinationSelector environment=dev, zone=a -Directory $Folder
        Update-KratixPromise -DestinationSelector zone- -Directory $Folder

        $text = Get-Content -LiteralPath $PromiseFile -Raw
        $text | Should -Match 'name: settings'
        $text | Should -Match 'namespace: default'
        $text | Should -Match 'environment: dev'
        $text | Should -Not -Match 'zone'
        Test-KratixPromise -Path $PromiseFile | Should -BeTrue
    }
}

Describe 'Build-KratixPromise' {
    It 'joins a split folder into one Promise that installs' {
        $folder = Join-Path $TestDrive 'split-build'
        New-KratixPromise -Name cache -Group acme.io -Kind Cache -Split -Directory $folder | Out-Null
        Update-KratixPromiseApi -Property size:string -Directory $folder
        Add-KratixPipelineContainer resource/configure/instance -Image ghcr.io/acme/cache:v1 -Directory $folder | Out-Null
        $output = Join-Path $TestDrive 'cache-promise.yaml'

        $yaml = Build-KratixPromise -Name cache -Directory $folder
        $file = Build-KratixPromise -Name cache -Directory $folder -OutputPath $output

        $yaml | Should -Match 'name: caches.acme.io'
        $yaml | Should -Match 'image: ghcr.io/acme/cache:v1'
        $file.FullName | Should -Be $output
        Test-KratixPromise -Path $output | Should -BeTrue
    }
}

Describe 'Add-KratixPipelineContainer, installed and run' {
    BeforeAll {
        $Folder = Join-Path $TestDrive 'app'
        New-KratixPromise -Name app -Group acme.io -Kind App -Directory $Folder | Out-Null
        Update-KratixPromiseApi -Property image:string -Directory $Folder
        $PromiseFile = Join-Path $Folder 'promise.yaml'
    }

    It 'adds a PowerShell container whose scaffolded script runs on the Host runtime' {
        $files = Add-KratixPipelineContainer resource/configure/render -Image ghcr.io/acme/app-render:v1 -Language PowerShell -Directory $Folder

        $files.Name | Should -Be @('pipeline.ps1', 'Dockerfile')
        $container = Join-Path $Folder 'workflows/resource/configure/render/ghcr-io-acme-app-render'
        Test-Path -LiteralPath (Join-Path $container 'sdk/Kratix.Sdk/Kratix.Sdk.psm1') | Should -BeTrue
        Test-KratixPromise -Path $PromiseFile | Should -BeTrue

        $map = @{ 'ghcr.io/acme/app-render:v1' = (New-PwshImageFolder $container (Join-Path $TestDrive 'app-render-image')) }
        $result = Invoke-KratixPipeline -Promise $PromiseFile -Request (Join-Path $Folder 'example-resource.yaml') -Runtime Host -ImageMap $map -ErrorAction SilentlyContinue

        $result.Phase | Should -Be 'Succeeded' -Because ($result.Containers.Log -join "`n")
        $result.Containers[0].Log | Should -Match 'Hello from example-app default'
    }

    It 'adds a Bash container to the same pipeline, and both run in order' {
        Add-KratixPipelineContainer resource/configure/render -Image ghcr.io/acme/app-notes:v1 -Name notes -Directory $Folder | Out-Null
        $notes = Join-Path $Folder 'workflows/resource/configure/render/notes'
        $script = Join-Path $notes 'scripts/pipeline.sh'
        Add-Content -LiteralPath $script -Value 'printf "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n" "$name" > /kratix/output/notes.yaml'
        # The image as its Dockerfile lays it out: the script in /usr/bin, run with sh -c pipeline.sh.
        $image = Join-Path $TestDrive 'notes-image'
        $null = New-Item -ItemType Directory -Path (Join-Path $image 'usr/bin') -Force
        Copy-Item -LiteralPath $script -Destination (Join-Path $image 'usr/bin/pipeline.sh')
        $map = @{
            'ghcr.io/acme/app-render:v1' = (New-PwshImageFolder (Join-Path $Folder 'workflows/resource/configure/render/ghcr-io-acme-app-render') (Join-Path $TestDrive 'app-render-image-2'))
            'ghcr.io/acme/app-notes:v1'  = @{ Path = $image; Cmd = @('sh', '-c', 'pipeline.sh') }
        }

        $result = Invoke-KratixPipeline -Promise $PromiseFile -Request (Join-Path $Folder 'example-resource.yaml') -Runtime Host -ImageMap $map -ErrorAction SilentlyContinue

        $result.Phase | Should -Be 'Succeeded' -Because ($result.Containers.Log -join "`n")
        $result.Containers.Name | Should -Be @('ghcr-io-acme-app-render', 'notes')
        $result | Should -HaveKratixDocument -Kind ConfigMap -Name example-app
    }

    It 'refuses a second container of the same name, and a bad workflow' {
        Add-KratixPipelineContainer resource/configure/render -Image ghcr.io/acme/app-notes:v2 -Name notes -Directory $Folder -ErrorAction SilentlyContinue -ErrorVariable problems | Out-Null
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PipelineContainerExists*'

        Add-KratixPipelineContainer workflow/configure/x -Image a:b -Directory $Folder -ErrorAction SilentlyContinue -ErrorVariable bad | Out-Null
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'PipelineTargetInvalid*'
    }

    It 'installs on the embedded platform and a request of it is reconciled by the scaffolded pipeline' {
        $platform = New-TestPlatform -Name authoring
        $map = @{ 'ghcr.io/acme/app-render:v1' = (New-PwshImageFolder (Join-Path $Folder 'workflows/resource/configure/render/ghcr-io-acme-app-render') (Join-Path $TestDrive 'platform-image')) }
        # Only the PowerShell container: the Bash one is covered above.
        $single = Join-Path $TestDrive 'app-single.yaml'
        (Get-Content -LiteralPath $PromiseFile -Raw) -replace '(?ms)\n\s+- name: notes\n\s+image: ghcr.io/acme/app-notes:v1', '' | Set-Content -LiteralPath $single
        Connect-KratixPlatform -Path $platform.Home -Runtime Host -ImageMap $map
        Register-KratixStateStore -Name default -Url $platform.Remote
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' }

        Install-KratixPromise -Path $single | Out-Null
        $request = New-KratixRequest -Path (Join-Path $Folder 'example-resource.yaml')

        (Get-KratixPromise -Name app).State | Should -Be 'Available'
        $request.State | Should -Be 'Reconciled'
    }
}

Describe 'Build-KratixPipelineImage' -Tag 'Podman' {
    BeforeAll {
        $Folder = Join-Path $TestDrive 'images'
        New-KratixPromise -Name images -Group acme.io -Kind Thing -Directory $Folder | Out-Null
        $Tag = "localhost/kratix-test/authoring-build:$([guid]::NewGuid().ToString('N').Substring(0, 12))"
        Add-KratixPipelineContainer resource/configure/build -Image $Tag -Name builder -Directory $Folder | Out-Null
        $container = Join-Path $Folder 'workflows/resource/configure/build/builder'
        # A Dockerfile that needs no registry: FROM scratch with a static busybox and the scaffolded script.
        Copy-Item -LiteralPath (Get-Command busybox).Source -Destination (Join-Path $container 'resources/busybox')
        Set-Content -LiteralPath (Join-Path $container 'Dockerfile') -Value @'
FROM scratch
COPY resources/busybox /bin/busybox
COPY scripts/pipeline.sh /bin/pipeline.sh
ENTRYPOINT ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /kratix/output && echo 'kind: Built' > /kratix/output/built.yaml"]
'@
    }

    AfterAll {
        & podman rmi --force $Tag 2>$null | Out-Null
    }

    It 'builds the container''s image with podman, and the pipeline runs it' {
        $built = Build-KratixPipelineImage resource/configure/build -Directory $Folder -Engine podman -BuildArgument '--pull=never'

        $built | Should -Be $Tag
        & podman image exists $Tag
        $LASTEXITCODE | Should -Be 0
        $result = Invoke-KratixPipeline -Promise (Join-Path $Folder 'promise.yaml') -Request (Join-Path $Folder 'example-resource.yaml') -Runtime Podman -RuntimeArgument $PodmanArguments -ErrorAction SilentlyContinue
        $result.Phase | Should -Be 'Succeeded' -Because ($result.Containers.Log -join "`n")
        $result | Should -HaveKratixDocument -Kind Built
    }

    It 'says which pipeline has no container' {
        Build-KratixPipelineImage resource/configure/missing -Directory $Folder -ErrorAction SilentlyContinue -ErrorVariable problems
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PipelineContainerNotFound*'
    }
}

Describe 'New-KratixPromise from a Helm chart' {
    BeforeAll {
        $Chart = Join-Path $TestDrive 'web-chart'
        $null = New-Item -ItemType Directory -Path $Chart
        Set-Content -LiteralPath (Join-Path $Chart 'Chart.yaml') -Value "apiVersion: v2`nname: web`nversion: 1.0.0"
        Set-Content -LiteralPath (Join-Path $Chart 'values.yaml') -Value @'
replicaCount: 1
image:
  repository: nginx
  tag: "1.27"
service:
  enabled: true
  ports: [80]
'@
    }

    It 'makes the API from values.yaml and runs the chart through the Helm stage' {
        $folder = Join-Path $TestDrive 'web'
        New-KratixPromise -Name web -Group acme.io -Kind Web -ChartUrl oci://ghcr.io/acme/charts/web -ChartVersion 1.0.0 -ChartPath $Chart -Directory $folder | Out-Null
        $promiseFile = Join-Path $folder 'promise.yaml'

        $promise = Get-Content -LiteralPath $promiseFile -Raw | ConvertFrom-KratixYaml
        $spec = $promise.spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec
        $spec.properties.replicaCount.type | Should -Be 'number'
        $spec.properties.image.properties.tag.type | Should -Be 'string'
        $spec.properties.service.properties.ports.items.type | Should -Be 'number'
        $container = $promise.spec.workflows.resource.configure[0].spec.containers[0]
        $container.image | Should -Be 'ghcr.io/syntasso/kratix-cli/helm-resource-configure:v0.2.0'
        ($container.env | ForEach-Object { "$($_.name)=$($_.value)" }) | Should -Be @('CHART_URL=oci://ghcr.io/acme/charts/web', 'CHART_VERSION=1.0.0')
        Test-KratixPromise -Path $promiseFile | Should -BeTrue
        Test-KratixRequest -PromisePath $promiseFile -InputObject @{ apiVersion = 'acme.io/v1alpha1'; kind = 'Web'; metadata = @{ name = 'shop' }; spec = @{ replicaCount = 3; image = @{ tag = '1.28' } } } | Should -BeTrue

        # The stage image renders with helm, which this machine does not have: a stand-in (a double, and it says so)
        # does what kratix-cli's stages/helm-promise/pipeline.sh does up to helm template, from the same environment, and
        # writes what it would render with, so the test checks the wiring: the request's spec as values, and the chart.
        $stage = Join-Path $TestDrive 'helm-stage'
        $null = New-Item -ItemType Directory -Path (Join-Path $stage 'usr/bin') -Force
        Set-Content -LiteralPath (Join-Path $stage 'usr/bin/helm-stage.sh') -Value @'
#!/bin/sh
# A stand-in for kratix-cli's helm stage: helm is not installed here. It writes a ConfigMap of what helm template gets.
set -eu
name=$(yq -r '.metadata.name' /kratix/input/object.yaml)
yq -y '.spec' /kratix/input/object.yaml > /tmp/values.yaml
{
  echo "apiVersion: v1"; echo "kind: ConfigMap"; echo "metadata:"; echo "  name: $name-helm-template"; echo "data:"
  echo "  chart: \"$CHART_URL\""; echo "  version: \"${CHART_VERSION:-}\""; echo "  values: |"; sed 's/^/    /' /tmp/values.yaml
} > /kratix/output/object.yaml
'@
        & chmod +x (Join-Path $stage 'usr/bin/helm-stage.sh')
        $map = @{ 'ghcr.io/syntasso/kratix-cli/helm-resource-configure:v0.2.0' = @{ Path = $stage; Entrypoint = @('/usr/bin/helm-stage.sh') } }
        $request = @{ metadata = @{ name = 'shop' }; spec = @{ replicaCount = 3 } }

        $result = Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -ImageMap $map -ErrorAction SilentlyContinue

        $result.Phase | Should -Be 'Succeeded' -Because ($result.Containers.Log -join "`n")
        $rendered = $result.Documents | Where-Object kind -EQ 'ConfigMap'
        $rendered.metadata.name | Should -Be 'shop-helm-template'
        $rendered.data.chart | Should -Be 'oci://ghcr.io/acme/charts/web'
        $rendered.data.values | Should -Match 'replicaCount: 3'
    }

    It 'reads a packaged chart, and gives defaults with -IncludeDefault' {
        $package = Join-Path $TestDrive 'web-1.0.0.tgz'
        & tar -czf $package -C $TestDrive 'web-chart'
        $folder = Join-Path $TestDrive 'web-packaged'

        New-KratixPromise -Name web -Group acme.io -Kind Web -ChartUrl $package -IncludeDefault -Split -Directory $folder | Out-Null

        $api = Get-Content -LiteralPath (Join-Path $folder 'api.yaml') -Raw | ConvertFrom-KratixYaml
        $api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.replicaCount.default | Should -Be 1
        Get-Content -LiteralPath (Join-Path $folder 'workflows/resource/configure/workflow.yaml') -Raw | Should -Match 'instance-configure'
        Build-KratixPromise -Name web -Directory $folder | Test-KratixPromise | Should -BeTrue
    }
}

Describe 'Find-KratixPromise' {
    BeforeAll {
        $Catalogue = Join-Path $TestDrive 'catalogue'
        New-KratixPromise -Name postgresql -Group acme.io -Kind Postgres -Directory (Join-Path $Catalogue 'postgresql') | Out-Null
        New-KratixPromise -Name redis -Group acme.io -Kind Redis -Directory (Join-Path $Catalogue 'redis') | Out-Null
        # Folder catalogues read the description and tags from annotations.
        $redis = Join-Path $Catalogue 'redis/promise.yaml'
        (Get-Content -LiteralPath $redis -Raw) -replace '(?m)^  labels:', "  annotations:`n    kratix.io/description: An in-memory cache`n    kratix.io/tags: cache, key-value`n  labels:" | Set-Content -LiteralPath $redis
        $Index = @'
promises:
- name: postgresql
  description: PostgreSQL databases for teams
  tags: [database, sql]
  version: v1.2.0
  path: postgresql/promise.yaml
- name: redis
  description: An in-memory cache
  tags: [cache]
  url: redis/promise.yaml
'@
    }

    It 'lists the Promise files of a folder, by name, tag and text' {
        (Find-KratixPromise -Catalogue $Catalogue).Name | Should -Be @('postgresql', 'redis')
        (Find-KratixPromise -Catalogue $Catalogue -Name post*).Name | Should -Be 'postgresql'
        (Find-KratixPromise -Catalogue $Catalogue -Tag key-value).Name | Should -Be 'redis'
        (Find-KratixPromise -Catalogue $Catalogue -Text MEMORY).Name | Should -Be 'redis'
        (Find-KratixPromise -Catalogue $Catalogue -Name post*).Version | Should -Be 'v0.0.1'
    }

    It 'reads an index file, and its results install' {
        Set-Content -LiteralPath (Join-Path $Catalogue 'index.yaml') -Value $Index
        try {
            $found = Find-KratixPromise -Catalogue $Catalogue -Tag database
            $found.Name | Should -Be 'postgresql'
            $found.Description | Should -Be 'PostgreSQL databases for teams'
            $found.Version | Should -Be 'v1.2.0'

            $platform = New-TestPlatform -Name catalogue-platform
            Connect-KratixPlatform -Path $platform.Home
            $found | Install-KratixPromise | Out-Null
            (Get-KratixPromise -Name postgresql).State | Should -Be 'Available'
        }
        finally {
            Remove-Item -LiteralPath (Join-Path $Catalogue 'index.yaml')
        }
    }

    It 'reads an index served over HTTP and downloads the Promises it names' {
        $listener = [System.Net.HttpListener]::new()
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $files = @{ '/promises/index.yaml' = $Index; '/promises/postgresql/promise.yaml' = (Get-Content -LiteralPath (Join-Path $Catalogue 'postgresql/promise.yaml') -Raw); '/promises/redis/promise.yaml' = (Get-Content -LiteralPath $redis -Raw) }
        # Serves the catalogue from a thread job while the cmdlet reads it; 404 for anything else.
        $server = Start-ThreadJob -ScriptBlock {
            param($listener, $files)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $body = $files[$context.Request.Url.AbsolutePath]
                if ($null -eq $body) { $context.Response.StatusCode = 404; $body = 'not found' }
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($body)
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
            }
        } -ArgumentList $listener, $files
        try {
            $found = @(Find-KratixPromise -Catalogue "http://127.0.0.1:$port/promises/index.yaml" -Name redis)

            $found.Name | Should -Be 'redis'
            $found[0].Location | Should -Be "http://127.0.0.1:$port/promises/redis/promise.yaml"
            Test-Path -LiteralPath $found[0].Path | Should -BeTrue
            $found | Test-KratixPromise | Should -BeTrue

            Find-KratixPromise -Catalogue "http://127.0.0.1:$port/missing/index.yaml" -ErrorAction SilentlyContinue -ErrorVariable problems
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'CatalogueNotFound*'
        }
        finally {
            $listener.Stop()
            $server | Wait-Job -Timeout 10 | Out-Null
            $server | Remove-Job -Force
        }
    }
}
