#Requires -Version 7.4
# An example Pester 5 test of a Promise's pipeline, to copy for your own Promises. It runs the App Promise's
# resource.configure workflow with Invoke-KratixPipeline on the Host runtime, which stands the image/ folder in for
# the pipeline image, so it needs Linux and bubblewrap (bwrap) but no container engine and no image build. The
# Should -HaveKratixDocument, -HaveKratixStatus, -BeScheduledTo and -BeKratixReconciled operators come with the Kratix
# module, which registers them with Pester when it is imported (see README.md).
#
#   Invoke-Pester ./examples/promise-test

BeforeAll {
    # The module from this repository's build, or the installed one.
    $built = Join-Path $PSScriptRoot '..' '..' 'out' 'Kratix' 'Kratix.psd1'
    if (Test-Path -LiteralPath $built) {
        Import-Module $built -Force
    }
    else {
        Import-Module Kratix
    }

    $Promise = Join-Path $PSScriptRoot 'promise.yaml'
    # The image the Promise's pipeline names, mapped to the folder laid out like it, with the image's entrypoint.
    $ImageMap = @{
        'ghcr.io/example/app-pipeline:v0.1.0' = @{
            Path       = Join-Path $PSScriptRoot 'image'
            Entrypoint = @('/usr/bin/configure.sh')
        }
    }
}

Describe 'The App Promise' {
    Context 'A request that exposes the app' {
        BeforeAll {
            $result = Invoke-KratixPipeline -Promise $Promise -Request (Join-Path $PSScriptRoot 'request.yaml') -Runtime Host -ImageMap $ImageMap
        }

        It 'succeeds' {
            $result.Phase | Should -Be 'Succeeded'
            $result.Containers[0].ExitCode | Should -Be 0
        }

        It 'renders a Deployment of the requested image and replicas' {
            $result | Should -HaveKratixDocument -Kind Deployment -Name shop -Namespace team-a
            $deployment = $result.Documents | Where-Object kind -EQ 'Deployment'

            $deployment.spec.replicas | Should -Be 3
            $deployment.spec.template.spec.containers[0].image | Should -Be 'ghcr.io/example/shop:1.4.2'
        }

        It 'renders a Service' {
            $result | Should -HaveKratixDocument -Kind Service -Name shop
            $service = $result.Documents | Where-Object kind -EQ 'Service'

            $service.spec.selector.app | Should -Be 'shop'
            $service.spec.ports[0].port | Should -Be 80
        }

        It 'reports the URL in the request''s status' {
            $result | Should -HaveKratixStatus -Field url -Value 'http://shop.team-a.svc'
        }

        It 'sends everything to the Promise''s Destinations' {
            $result.WorkloadGroups | Should -HaveCount 1
            $result | Should -BeScheduledTo -Destination @{ environment = 'dev' }
            $result | Should -Not -BeScheduledTo -Destination @{ environment = 'prod' }
        }
    }

    Context 'A request that takes the defaults' {
        BeforeAll {
            # A request can be a hashtable; apiVersion and kind default to the Promise's.
            $result = Invoke-KratixPipeline -Promise $Promise -Request @{ metadata = @{ name = 'internal' }; spec = @{ image = 'nginx:1.27' } } `
                -Runtime Host -ImageMap $ImageMap
        }

        It 'gets the API''s defaults: one replica, not exposed' {
            ($result.Documents | Where-Object kind -EQ 'Deployment').spec.replicas | Should -Be 1
            $result | Should -Not -HaveKratixDocument -Kind Service
            $result | Should -HaveKratixStatus -Field url -Value 'none'
        }
    }

    Context 'On a platform' {
        BeforeAll {
            # A throwaway platform in TestDrive that runs the pipeline on the Host runtime with the same image map, and
            # writes to a directory state store. (Connect-KratixPlatform makes it this session's platform; every call
            # here names it with -Platform all the same.)
            $platformHome = Join-Path $TestDrive 'platform'
            $P = @{ Platform = $platformHome }
            Connect-KratixPlatform -Path $platformHome -Runtime Host -ImageMap $ImageMap
            Register-KratixStateStore -Name local -Directory (Join-Path $TestDrive 'state') @P
            Register-KratixDestination -Name dev -StateStore local -StateStoreKind BucketStateStore -Label @{ environment = 'dev' } @P
            Install-KratixPromise -Path $Promise @P
            $request = New-KratixRequest -Path (Join-Path $PSScriptRoot 'request.yaml') @P
        }

        It 'reconciles the request, lands it on dev and publishes its URL' {
            $request | Should -BeKratixReconciled -Platform $platformHome
            $request | Should -BeScheduledTo -Destination dev -Platform $platformHome
            $request | Should -HaveKratixStatus -Field url -Value 'http://shop.team-a.svc'
        }

        It 'wrote the Deployment where Trace-KratixRequest says' {
            $placement = (Trace-KratixRequest -Promise app -Namespace team-a -Name shop @P).Find('WorkPlacement')

            $placement.Details.Paths | Should -Contain 'dev/resources/team-a/app/shop/render/5058f/deployment.yaml'
        }
    }

    Context 'An invalid request' {
        It 'is refused before the pipeline runs, naming the field' {
            $output = Invoke-KratixPipeline -Promise $Promise -Request @{ metadata = @{ name = 'bad' }; spec = @{ replicas = 2 } } `
                -Runtime Host -ImageMap $ImageMap -ErrorAction SilentlyContinue -ErrorVariable refused

            $output | Should -BeNullOrEmpty
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'RequestInvalid,*'
            $refused[0].Exception.Message | Should -Match 'spec\.image: Required value'
        }
    }
}
