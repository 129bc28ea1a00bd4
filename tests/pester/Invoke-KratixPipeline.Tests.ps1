#Requires -Version 7.4
# Pester 5: Invoke-KratixPipeline runs a Promise's workflow with no platform. Every pipeline here is a sh script run
# by the Host runtime (a bubblewrap sandbox over this machine's own /usr and /bin), so these tests need Linux and
# bwrap, but no container engine and no image: the scripts are in the Promise files written to TestDrive, or in an
# image folder given with -ImageMap.

Describe 'Invoke-KratixPipeline' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $CommandId = 'Kratix.PowerShell.Cmdlets.InvokeKratixPipelineCommand'

        # The first pipeline renders two files and a group of its own, and reports an endpoint in status.yaml; the
        # second reads that endpoint back from the object's status, as the platform passes it from one to the next.
        $RenderScript = @'
set -eu
size=$(grep 'size:' /kratix/input/object.yaml | head -n 1 | sed 's/.*size: //')
cat > /kratix/output/configmap.yaml <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $KRATIX_OBJECT_NAME-config
  namespace: $KRATIX_OBJECT_NAMESPACE
data:
  size: $size
---
apiVersion: v1
kind: Secret
metadata:
  name: $KRATIX_OBJECT_NAME-secret
EOF
mkdir -p /kratix/output/db
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s-db\n' "$KRATIX_OBJECT_NAME" > /kratix/output/db/namespace.yaml
printf '%s\n' '- directory: db' '  matchLabels:' '    tier: data' > /kratix/metadata/destination-selectors.yaml
printf 'endpoint: %s.example.com\n' "$KRATIX_OBJECT_NAME" > /kratix/metadata/status.yaml
echo "rendered $KRATIX_OBJECT_NAME for $KRATIX_WORKFLOW_TYPE.$KRATIX_WORKFLOW_ACTION"
'@
        $ReportScript = @'
set -eu
endpoint=$(grep 'endpoint:' /kratix/input/object.yaml | head -n 1 | sed 's/.*endpoint: //')
echo "endpoint is $endpoint" > /kratix/output/report.txt
printf 'reported: "yes"\n' > /kratix/metadata/status.yaml
'@
    }

    Context 'A resource configure workflow' {
        BeforeAll {
            $root = Join-Path $TestDrive 'configure'
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'promise.json') -Name app `
                -ResourceConfigure ([ordered]@{ render = $RenderScript; report = $ReportScript })
            $requestFile = Join-Path $root 'request.yaml'
            Set-Content -LiteralPath $requestFile -Encoding utf8NoBOM -Value @'
apiVersion: test.kratix.io/v1alpha1
kind: App
metadata:
  name: from-file
  namespace: team-a
spec:
  replicas: 1
  size: large
'@

            $results = @(Invoke-KratixPipeline -Promise $promiseFile -Request @{ metadata = @{ name = 'web' }; spec = @{ replicas = 2 } } -Runtime Host)
        }

        It 'outputs one Kratix.PipelineResult per pipeline, in order' {
            $results | Should -HaveCount 2
            $results[0].PSObject.TypeNames[0] | Should -Be 'Kratix.PipelineResult'
            $results.Name | Should -Be @('render', 'report')
            $results[0].Workflow | Should -Be 'resource.configure'
            $results[0].Runtime | Should -Be 'Host'
            $results[0].Phase | Should -Be 'Succeeded'
            $results[0].Succeeded | Should -BeTrue
            $results[0].Error | Should -BeNullOrEmpty
            $results[0].Duration | Should -BeOfType ([timespan])
        }

        It 'gives each output document its own keys, with the file and its place in the file' {
            $configMap = $results[0].Documents | Where-Object kind -EQ 'ConfigMap'

            $configMap.metadata.name | Should -Be 'web-config'
            $configMap.metadata.namespace | Should -Be 'default'
            $configMap.Path | Should -Be 'configmap.yaml'
            $configMap.Index | Should -Be 0
            $secret = $results[0].Documents | Where-Object kind -EQ 'Secret'
            $secret.Path | Should -Be 'configmap.yaml'
            $secret.Index | Should -Be 1
            ($results[0].Documents | Where-Object kind -EQ 'Namespace').Path | Should -Be 'db/namespace.yaml'
        }

        It 'validates and defaults the request first, so the pipeline sees what the platform would give it' {
            # size was not given: the API's default reached the pipeline.
            ($results[0].Documents | Where-Object kind -EQ 'ConfigMap').data.size | Should -Be 'small'
        }

        It 'lists the files with their text and length' {
            $files = $results[0].Files
            $files.Path | Should -Be @('configmap.yaml', 'db/namespace.yaml')
            ($files | Where-Object Path -EQ 'db/namespace.yaml').Text | Should -Match 'name: web-db'
            ($files | Where-Object Path -EQ 'db/namespace.yaml').Length | Should -BeGreaterThan 0
        }

        It 'groups the files as the platform would schedule them' {
            $groups = $results[0].WorkloadGroups
            $groups | Should -HaveCount 2

            $db = $groups | Where-Object Directory -EQ 'db'
            $db.Files | Should -Be 'db/namespace.yaml'
            $db.DestinationSelectors[0].MatchLabels.tier | Should -Be 'data'
            $db.DestinationSelectors[0].Source | Should -Be 'resource-workflow'

            $default = $groups | Where-Object Directory -EQ '.'
            $default.Id | Should -Be '5058f1af8388633f609cadb75a75dc9d'
            $default.Files | Should -Be 'configmap.yaml'
            $default.DestinationSelectors[0].MatchLabels.environment | Should -Be 'dev'
            $default.DestinationSelectors[0].Source | Should -Be 'promise'
        }

        It 'shows the destination selectors as the pipeline wrote them' {
            $results[0].DestinationSelectors | Should -HaveCount 1
            $selector = $results[0].DestinationSelectors[0]
            $selector.Directory | Should -Be 'db'
            $selector.MatchLabels.tier | Should -Be 'data'
        }

        It 'merges status.yaml into the status, which the next pipeline reads' {
            $results[0].StatusFile.endpoint | Should -Be 'web.example.com'
            $results[0].Status.endpoint | Should -Be 'web.example.com'
            ($results[1].Files | Where-Object Path -EQ 'report.txt').Text | Should -Match 'endpoint is web.example.com'
            $results[1].Status.reported | Should -Be 'yes'
            $results[1].Status.endpoint | Should -Be 'web.example.com'
        }

        It 'reports each container with its exit code and log' {
            $results[0].Containers | Should -HaveCount 1
            $container = $results[0].Containers[0]
            $container.Name | Should -Be 'render-step'
            $container.Image | Should -Be 'kratix-test/host:v1'
            $container.ExitCode | Should -Be 0
            $container.TimedOut | Should -BeFalse
            $container.Log | Should -Match 'rendered web for resource.configure'
        }

        It 'has no workflow control when the pipeline writes none, and keeps no workspace' {
            $results[0].WorkflowControl | Should -BeNullOrEmpty
            $results[0].WorkspacePath | Should -BeNullOrEmpty
        }

        It 'takes the request from a file piped from Get-Item' {
            $piped = @(Get-Item -LiteralPath $requestFile | Invoke-KratixPipeline -Promise $promiseFile -Runtime Host -Pipeline render)

            $piped | Should -HaveCount 1
            $configMap = $piped[0].Documents | Where-Object kind -EQ 'ConfigMap'
            $configMap.metadata.name | Should -Be 'from-file-config'
            $configMap.metadata.namespace | Should -Be 'team-a'
            $configMap.data.size | Should -Be 'large'
        }

        It 'runs only the pipeline -Pipeline names, from the status -Status gives' {
            $only = @(Invoke-KratixPipeline -Promise $promiseFile -Request @{ metadata = @{ name = 'web' }; spec = @{ replicas = 1 } } `
                    -Runtime Host -Pipeline report -Status @{ endpoint = 'given.example.com' })

            $only | Should -HaveCount 1
            $only[0].Name | Should -Be 'report'
            $only[0].Files[0].Text | Should -Match 'endpoint is given.example.com'
        }

        It 'refuses a pipeline the workflow does not have, listing those it has' {
            { Invoke-KratixPipeline -Promise $promiseFile -Request $requestFile -Runtime Host -Pipeline nothing -ErrorAction Stop } |
                Should -Throw -ErrorId "PipelineNotFound,$CommandId" -ExpectedMessage '*render, report*'
        }

        It 'refuses an invalid request naming every failing field, and runs nothing' {
            $output = Invoke-KratixPipeline -Promise $promiseFile -Request @{ metadata = @{ name = 'bad' }; spec = @{ replicas = 9; size = 'huge' } } `
                -Runtime Host -ErrorAction SilentlyContinue -ErrorVariable refused

            $output | Should -BeNullOrEmpty
            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -Be "RequestInvalid,$CommandId"
            $refused[0].Exception.Problems | Where-Object { $_ -match 'spec\.replicas: .*less than or equal to 5' } | Should -Not -BeNullOrEmpty
            $refused[0].Exception.Problems | Where-Object { $_ -match 'spec\.size: Unsupported value: "huge"' } | Should -Not -BeNullOrEmpty
        }

        It 'writes progress as verbose messages' {
            $verbose = @(Invoke-KratixPipeline -Promise $promiseFile -Request $requestFile -Runtime Host -Pipeline render -Verbose 4>&1 |
                    Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })

            $verbose.Message | Where-Object { $_ -match 'render' } | Should -Not -BeNullOrEmpty
        }

        It 'runs nothing with -WhatIf' {
            Invoke-KratixPipeline -Promise $promiseFile -Request $requestFile -Runtime Host -WhatIf | Should -BeNullOrEmpty
        }

        It 'shows a table of name, phase, workflow, runtime, document count and duration' {
            $table = ($results | Format-Table | Out-String -Width 200)

            $table | Should -Match 'Name\s+Phase\s+Workflow\s+Runtime\s+Documents\s+Duration'
            $table | Should -Match 'render\s+Succeeded\s+resource\.configure\s+Host\s+3'
        }
    }

    Context 'A failing pipeline' {
        BeforeAll {
            $root = Join-Path $TestDrive 'failing'
            $failScript = @'
echo "about to fail"
i=1
while [ $i -le 30 ]; do echo "line $i"; i=$((i + 1)); done
exit 3
'@
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'promise.json') -Name broken `
                -ResourceConfigure ([ordered]@{ fail = $failScript; after = 'echo never > /kratix/output/never.txt' })
            $slowFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'slow.json') -Name slow `
                -ResourceConfigure ([ordered]@{ wait = 'sleep 30' })
            $bigFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'big.json') -Name big `
                -ResourceConfigure ([ordered]@{ big = 'head -c 2000 /dev/zero | tr ''\0'' x > /kratix/output/big.yaml' })
            $request = @{ metadata = @{ name = 'x' }; spec = @{ replicas = 1 } }
        }

        It 'is a PipelineFailed error that -ErrorAction Stop turns into an exception' {
            { Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -ErrorAction Stop } |
                Should -Throw -ErrorId "PipelineFailed,$CommandId"
        }

        It 'comes after its result, so the result can still be inspected' {
            $result = @(Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -ErrorAction SilentlyContinue -ErrorVariable failures)

            $result | Should -HaveCount 1
            $result[0].Name | Should -Be 'fail'
            $result[0].Phase | Should -Be 'Failed'
            $result[0].Succeeded | Should -BeFalse
            $result[0].Containers[0].ExitCode | Should -Be 3
            $result[0].Containers[0].Log | Should -Match 'about to fail'
            $result[0].Error | Should -Match 'exited with code 3'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "PipelineFailed,$CommandId"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $failures[0].TargetObject.Phase | Should -Be 'Failed'
        }

        It 'says why, with the last 20 lines of the failing container''s log' {
            $null = Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -ErrorAction SilentlyContinue -ErrorVariable failures
            $message = $failures[0].Exception.Message

            $message | Should -Match 'resource.configure pipeline "fail" failed'
            $message | Should -Match 'exited with code 3'
            $message | Should -Match 'line 11'
            $message | Should -Match 'line 30'
            $message | Should -Not -Match 'about to fail'
        }

        It 'stops a container at -Timeout, an OperationTimeout error' {
            $result = Invoke-KratixPipeline -Promise $slowFile -Request $request -Runtime Host -Timeout ([timespan]::FromSeconds(2)) `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $result.Phase | Should -Be 'Failed'
            $result.Containers[0].TimedOut | Should -BeTrue
            $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        }

        It 'fails a pipeline that writes more than -MaxOutputBytes, a LimitsExceeded error naming the pipeline and the limit' {
            $result = Invoke-KratixPipeline -Promise $bigFile -Request $request -Runtime Host -MaxOutputBytes 1000 `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $result.Phase | Should -Be 'Failed'
            $result.Containers[0].ExitCode | Should -Be 0
            $failures | Should -HaveCount 1
            $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $failures[0].Exception.Message | Should -Match ([regex]::Escape('Pipeline "big" wrote more than 1,000 bytes to /kratix/output'))
        }

        It 'runs the same pipeline under a -MaxOutputBytes it fits in' {
            $result = Invoke-KratixPipeline -Promise $bigFile -Request $request -Runtime Host -MaxOutputBytes 2000

            $result.Phase | Should -Be 'Succeeded'
        }

        It 'refuses a -MaxOutputBytes that is not positive before anything runs' {
            { Invoke-KratixPipeline -Promise $bigFile -Request $request -Runtime Host -MaxOutputBytes 0 } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$CommandId"
        }
    }

    Context 'ConfigMaps and Secrets' {
        BeforeAll {
            $root = Join-Path $TestDrive 'values'
            $environment = @(
                @{ name = 'COLOUR'; valueFrom = @{ configMapKeyRef = @{ name = 'settings'; key = 'colour' } } }
                @{ name = 'PASSWORD'; valueFrom = @{ secretKeyRef = @{ name = 'db'; key = 'password' } } }
            )
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'promise.json') -Name valued -ContainerEnv $environment `
                -ResourceConfigure ([ordered]@{ use = 'echo "$COLOUR" > /kratix/output/colour.txt; echo "connecting with $PASSWORD"; exit 1' })
            $request = @{ metadata = @{ name = 'x' }; spec = @{ replicas = 1 } }
        }

        It 'gives the containers the values, and masks secrets in errors and verbose output' {
            $output = Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -Verbose `
                -ConfigMap @{ settings = @{ colour = 'teal' } } -Secret @{ db = @{ password = 'hunter22' } } `
                -ErrorAction SilentlyContinue -ErrorVariable failures 4>&1
            $result = $output | Where-Object { $_.PSObject.TypeNames -contains 'Kratix.PipelineResult' }
            $verbose = $output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

            $result.Containers[0].Log | Should -Match 'connecting with hunter22'
            $failures[0].Exception.Message | Should -Match 'connecting with \*\*\*'
            $failures[0].Exception.Message | Should -Not -Match 'hunter22'
            $verbose.Message | Where-Object { $_ -match 'hunter22' } | Should -BeNullOrEmpty
        }

        It 'fails the pipeline, saying how to give it, when a value is missing' {
            $result = Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -ErrorAction SilentlyContinue -ErrorVariable failures

            $result.Phase | Should -Be 'Failed'
            $result.Containers[0].ExitCode | Should -Be -1
            $failures[0].Exception.Message | Should -Match '-ConfigMap'
        }
    }

    Context '-OutputPath' {
        BeforeAll {
            $root = Join-Path $TestDrive 'kept'
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'promise.json') -Name app -ResourceConfigure ([ordered]@{ render = $RenderScript })
            $output = Join-Path $root 'out'
            $result = Invoke-KratixPipeline -Promise $promiseFile -Request @{ metadata = @{ name = 'web' }; spec = @{ replicas = 1 } } -Runtime Host -OutputPath $output
        }

        It 'keeps each pipeline''s workspace in a folder named after it' {
            $result.WorkspacePath | Should -Be (Join-Path $output 'render')
            Join-Path $output 'render' 'input' 'object.yaml' | Should -Exist
            Join-Path $output 'render' 'output' 'configmap.yaml' | Should -Exist
            Join-Path $output 'render' 'output' 'db' 'namespace.yaml' | Should -Exist
            Join-Path $output 'render' 'metadata' 'status.yaml' | Should -Exist
            Get-Content -LiteralPath (Join-Path $output 'render' 'logs' 'render-step.log') -Raw | Should -Match 'rendered web'
        }

        It 'holds the object as the pipeline saw it' {
            $object = Get-Content -LiteralPath (Join-Path $output 'render' 'input' 'object.yaml') -Raw

            $object | Should -Match 'kratix.io/promise-name: app'
            $object | Should -Match 'size: small'
        }
    }

    Context '-ImageMap' {
        BeforeAll {
            $root = Join-Path $TestDrive 'image-map'
            $image = Join-Path $root 'image'
            $null = New-Item -ItemType Directory -Path (Join-Path $image 'usr' 'bin')
            Set-Content -LiteralPath (Join-Path $image 'usr' 'bin' 'script.sh') -Encoding utf8NoBOM -Value @'
#!/bin/sh
set -eu
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s-from-image\ndata:\n  arguments: "%s"\n' "$KRATIX_OBJECT_NAME" "$*" > /kratix/output/from-image.yaml
'@
            $request = @{ metadata = @{ name = 'img' }; spec = @{ replicas = 1 } }
        }

        It 'runs the image''s entrypoint and cmd from a folder laid out like the image' {
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'entrypoint.json') -Name mapped -Image 'example.com/app-pipeline:v1' -NoCommand `
                -ResourceConfigure ([ordered]@{ configure = '' })

            $result = Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host `
                -ImageMap @{ 'example.com/app-pipeline:v1' = @{ Path = $image; Entrypoint = @('sh', '/usr/bin/script.sh'); Cmd = @('one', 'two') } }

            $result.Phase | Should -Be 'Succeeded'
            $result.Documents | Should -HaveCount 1
            $configMap = $result.Documents[0]
            $configMap.metadata.name | Should -Be 'img-from-image'
            $configMap.data.arguments | Should -Be 'one two'
        }

        It 'maps an image to a folder path, whose files a command can run' {
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'folder.json') -Name folder -Image 'example.com/app-pipeline:v1' `
                -ResourceConfigure ([ordered]@{ configure = 'sh /usr/bin/script.sh from-command' })

            $result = Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -ImageMap @{ 'example.com/app-pipeline:v1' = $image }

            $result.Documents[0].data.arguments | Should -Be 'from-command'
        }
    }

    Context 'Promise and delete workflows' {
        BeforeAll {
            $root = Join-Path $TestDrive 'workflows'
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'promise.json') -Name svc `
                -PromiseConfigure ([ordered]@{ setup = 'printf "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s-system\n" "$KRATIX_PROMISE_NAME" > /kratix/output/ns.yaml' }) `
                -ResourceConfigure ([ordered]@{ render = 'echo "kind: ConfigMap" > /kratix/output/cm.yaml' }) `
                -ResourceDelete ([ordered]@{ teardown = 'echo "tearing down $KRATIX_OBJECT_NAME"; echo "kind: Job" > /kratix/output/job.yaml' })
        }

        It 'runs the promise configure workflow when no request is given' {
            $result = Invoke-KratixPipeline -Promise $promiseFile -Runtime Host

            $result.Workflow | Should -Be 'promise.configure'
            $result.Name | Should -Be 'setup'
            $result.Documents[0].kind | Should -Be 'Namespace'
            $result.Documents[0].metadata.name | Should -Be 'svc-system'
        }

        It 'takes the Promise as an object, as Get-KratixPromise outputs it' {
            $platform = New-TestPlatform -Name 'promise-object'
            # The platform runs the Promise's configure workflow when it is installed: on the Host runtime, as here.
            Connect-KratixPlatform -Path $platform.Home -Runtime Host
            $installed = Install-KratixPromise -Path $promiseFile -Platform $platform.Home -PassThru -WarningAction SilentlyContinue

            $result = Invoke-KratixPipeline -Promise $installed -Runtime Host -Workflow promise.configure

            $result.Documents[0].metadata.name | Should -Be 'svc-system'
        }

        It 'runs the delete workflow with -Workflow, and does not schedule its output' {
            $result = Invoke-KratixPipeline -Promise $promiseFile -Request @{ metadata = @{ name = 'gone' }; spec = @{ replicas = 1 } } -Runtime Host -Workflow resource.delete

            $result.Workflow | Should -Be 'resource.delete'
            $result.Name | Should -Be 'teardown'
            $result.Containers[0].Log | Should -Match 'tearing down gone'
            $result.Files.Path | Should -Be 'job.yaml'
            $result.WorkloadGroups | Should -BeNullOrEmpty
        }
    }

    Context 'Setup problems' {
        BeforeAll {
            $root = Join-Path $TestDrive 'setup'
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $root 'promise.json') -Name app -ResourceConfigure ([ordered]@{ render = 'true' })
            $request = @{ metadata = @{ name = 'x' }; spec = @{ replicas = 1 } }
        }

        It 'stops at a resource workflow without a request, whatever -ErrorAction says' {
            { Invoke-KratixPipeline -Promise $promiseFile -Workflow resource.configure -Runtime Host -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "RequestRequired,$CommandId"
        }

        It 'stops at a workflow the Promise does not define' {
            { Invoke-KratixPipeline -Promise $promiseFile -Request $request -Workflow resource.delete -Runtime Host } |
                Should -Throw -ErrorId "WorkflowNotDefined,$CommandId"
        }

        It 'stops at engine arguments for the Host runtime' {
            { Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Host -RuntimeArgument '--privileged' } |
                Should -Throw -ErrorId "RuntimeArgumentsNotApplicable,$CommandId"
        }

        It 'stops at a Promise file that does not exist' {
            { Invoke-KratixPipeline -Promise (Join-Path $root 'missing.yaml') -Request $request -Runtime Host } |
                Should -Throw -ErrorId "ManifestNotReadable,$CommandId"
        }

        It 'stops at a file that holds no Promise' {
            $notAPromise = Join-Path $root 'namespace.yaml'
            Set-Content -LiteralPath $notAPromise -Value "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: x" -Encoding utf8NoBOM

            { Invoke-KratixPipeline -Promise $notAPromise -Request $request -Runtime Host } |
                Should -Throw -ErrorId "PromiseNotFound,$CommandId"
        }

        It 'refuses a runtime it does not know' {
            { Invoke-KratixPipeline -Promise $promiseFile -Request $request -Runtime Kubernetes } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }
}
