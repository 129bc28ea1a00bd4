#Requires -Version 7.4
# Pester 5: the Team Promise's PowerShell pipeline, run with Invoke-KratixPipeline on the Host runtime. The test lays
# out the image's file system in TestDrive as the Dockerfile would (the script in /scripts, the SDK the Kratix module
# ships in /sdk, and this session's own pwsh in /opt/pwsh, since the sandbox sees only the host's system folders):
# no container engine, no image build.
#
#   Invoke-Pester ./examples/powershell-pipeline

BeforeAll {
    $built = Join-Path $PSScriptRoot '..' '..' 'out' 'Kratix' 'Kratix.psd1'
    if (Test-Path -LiteralPath $built) { Import-Module $built -Force } else { Import-Module Kratix }
    $moduleBase = (Get-Module -Name Kratix).ModuleBase

    $Promise = Join-Path $PSScriptRoot 'promise.yaml'
    $container = Join-Path $PSScriptRoot 'workflows' 'resource' 'configure' 'render' 'kratix-render'

    # The image as a folder: what `COPY scripts/pipeline.ps1 /scripts/` and the SDK copy put in it.
    $image = Join-Path $TestDrive 'image'
    $null = New-Item -ItemType Directory -Path (Join-Path $image 'sdk') -Force
    Copy-Item -LiteralPath (Join-Path $container 'scripts') -Destination $image -Recurse
    Copy-Item -LiteralPath (Join-Path $moduleBase 'Sdk' 'Kratix.Sdk') -Destination (Join-Path $image 'sdk') -Recurse
    # pwsh as hard links (instant, no space) where $PSHOME is on the same file system, a copy otherwise.
    $null = New-Item -ItemType Directory -Path (Join-Path $image 'opt') -Force
    & cp -al $PSHOME (Join-Path $image 'opt' 'pwsh') 2>$null
    if ($LASTEXITCODE -ne 0) { Copy-Item -LiteralPath $PSHOME -Destination (Join-Path $image 'opt' 'pwsh') -Recurse -Force }

    $ImageMap = @{
        'ghcr.io/example/team-pipeline:v0.1.0' = @{
            Path       = $image
            Entrypoint = @('/opt/pwsh/pwsh', '-NoLogo', '-NoProfile', '-NonInteractive', '-File', '/scripts/pipeline.ps1')
        }
    }
}

Describe 'The Team Promise (a pipeline written in PowerShell)' {
    Context 'A team in a region' {
        BeforeAll {
            $result = Invoke-KratixPipeline -Promise $Promise -Request (Join-Path $PSScriptRoot 'request.yaml') -Runtime Host -ImageMap $ImageMap -ErrorAction SilentlyContinue
        }

        It 'succeeds' {
            $result.Phase | Should -Be 'Succeeded' -Because ($result.Containers.Log -join "`n")
        }

        It 'renders the namespace and the ConfigMap from the request, both documents of one file' {
            $result | Should -HaveKratixDocument -Kind Namespace -Name team-payments
            $configMap = $result.Documents | Where-Object kind -EQ 'ConfigMap'
            $configMap.metadata.namespace | Should -Be 'team-payments'
            $configMap.data.owner | Should -Be 'alice@example.com'
            $configMap.data.pods | Should -Be '20'
        }

        It 'writes the status' {
            $result | Should -HaveKratixStatus -Field namespace -Value 'team-payments'
            $result | Should -HaveKratixStatus -Field quota.pods -Value 20
            $result | Should -HaveKratixStatus -Field message -Value 'Team payments is ready in team-payments'
        }

        It 'sends the output to the region''s Destinations' {
            $result | Should -BeScheduledTo -Destination @{ region = 'eu' }
            $result | Should -Not -BeScheduledTo -Destination @{ region = 'us' }
        }
    }

    Context 'A paused team' {
        It 'suspends the workflow with the script''s message' {
            $request = @{ metadata = @{ name = 'later' }; spec = @{ owner = 'bob@example.com'; paused = $true } }
            $result = Invoke-KratixPipeline -Promise $Promise -Request $request -Runtime Host -ImageMap $ImageMap -ErrorAction SilentlyContinue

            $result.Phase | Should -Be 'Suspended' -Because ($result.Containers.Log -join "`n")
            $result.Documents | Should -BeNullOrEmpty
        }
    }

    Context 'The Promise''s own workflow' {
        It 'writes the shared ConfigMap, naming the pipeline from the workflow''s environment' {
            $result = Invoke-KratixPipeline -Promise $Promise -Runtime Host -ImageMap $ImageMap -ErrorAction SilentlyContinue

            $result.Phase | Should -Be 'Succeeded' -Because ($result.Containers.Log -join "`n")
            $result | Should -HaveKratixDocument -Kind ConfigMap -Name teams
            ($result.Documents | Where-Object kind -EQ 'ConfigMap').data.pipeline | Should -Be 'render'
        }
    }
}
