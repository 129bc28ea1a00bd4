#Requires -Version 7.4
# Pester 5: the Should operators the Kratix module registers for Promise authors (Kratix.Pester.psm1): each passing,
# failing with a message that says what was expected and what was found, and negated; and their registration, whether
# Pester is loaded before or after Kratix. Pipelines run on the Host runtime (Linux and bwrap).

BeforeDiscovery {
    # Importing Kratix here, while Pester is loaded, registers the operators before the Its below are discovered.
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'Kratix' 'Kratix.psd1') -Force
}

Describe 'Kratix Should operators' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $SavedRuntime = $env:KRATIX_RUNTIME
        Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue

        # The example Promise's pipeline, with its image/ folder standing in for the image.
        $Example = Join-Path $RepoRoot 'examples/promise-test'
        $ImageMap = @{ 'ghcr.io/example/app-pipeline:v0.1.0' = @{ Path = Join-Path $Example 'image'; Entrypoint = @('/usr/bin/configure.sh') } }
        $Result = Invoke-KratixPipeline -Promise (Join-Path $Example 'promise.yaml') -Request (Join-Path $Example 'request.yaml') -Runtime Host -ImageMap $ImageMap

        # A platform with one request that is reconciled and one whose pipeline fails.
        $platform = New-TestPlatform -Name 'should-operators'
        $P = @{ Platform = $platform.Home }
        Register-KratixStateStore -Name default -Url $platform.Remote @P
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @P
        Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } @P
        $script = @'
if grep -q 'colour: red' /kratix/input/object.yaml; then echo 'red is not allowed' >&2; exit 3; fi
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml
printf 'url: http://%s.example\n' "$KRATIX_OBJECT_NAME" > /kratix/metadata/status.yaml
'@
        $file = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -ResourceConfigure ([ordered]@{ render = $script })
        Install-KratixPromise -Path $file @P
        $Web = New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } @P
        $Bad = New-KratixRequest -Promise app -Name bad -Spec @{ replicas = 1; colour = 'red' } @P -WarningAction SilentlyContinue

        function Get-ShouldFailure([scriptblock] $Assertion) {
            # The message a failing Should gives, or $null when it passes.
            try { & $Assertion; $null } catch { $_.Exception.Message }
        }
    }

    AfterAll {
        $env:KRATIX_RUNTIME = $SavedRuntime
    }

    Context '-HaveKratixDocument' {
        It 'passes when the pipeline output holds the document' {
            $Result | Should -HaveKratixDocument -Kind Deployment -Name shop
            $Result | Should -HaveKratixDocument -Kind Service -Name 'sh*' -Namespace team-a -ApiVersion v1
            $Result.Documents | Should -HaveKratixDocument -Kind Deployment
        }

        It 'fails naming what it looked for and every document it found' {
            Get-ShouldFailure { $Result | Should -HaveKratixDocument -Kind Deployment -Name web -Because 'the app is called web' } |
                Should -Be "Expected the output to hold a Deployment named 'web', because the app is called web, but found Deployment/team-a/shop (render), Service/team-a/shop (render)."
        }

        It 'with -Not fails when the document is there, saying where' {
            $Result | Should -Not -HaveKratixDocument -Kind Secret
            Get-ShouldFailure { $Result | Should -Not -HaveKratixDocument -Kind Service } |
                Should -Be "Expected no document that is a Service, but found 1 in pipeline 'render'."
        }

        It 'reads the documents of Works and WorkPlacements on the platform' {
            Get-KratixWorkPlacement @P | Should -HaveKratixDocument -Kind ConfigMap -Name web
            Get-ShouldFailure { Get-KratixWork -Promise app @P | Should -HaveKratixDocument -Kind ConfigMap -Name bad } |
                Should -BeLike "Expected the output to hold a ConfigMap named 'bad', but found ConfigMap/web (Work app-web-render-*)."
        }

        It 'needs -Kind' {
            { $Result | Should -HaveKratixDocument -Name shop } | Should -Throw -ExpectedMessage '*needs -Kind*'
        }
    }

    Context '-HaveKratixStatus' {
        It 'passes when the status has the field, and the value when one is given' {
            $Result | Should -HaveKratixStatus -Field url
            $Result | Should -HaveKratixStatus -Field url -Value 'http://shop.team-a.svc'
            $Web | Should -HaveKratixStatus -Field url -Value 'http://web.example'
        }

        It 'fails with the value it found' {
            Get-ShouldFailure { $Result | Should -HaveKratixStatus -Field url -Value 'http://elsewhere' } |
                Should -Be "Expected status.url of pipeline 'render' (resource.configure) to be 'http://elsewhere', but it was 'http://shop.team-a.svc'."
        }

        It 'fails naming the fields there are when the field is missing' {
            Get-ShouldFailure { $Web | Should -HaveKratixStatus -Field database.host } |
                Should -BeLike "Expected App 'default/web' to have status.database.host, but status has no database; it has *url*."
        }

        It 'with -Not fails when the field holds the value' {
            $Result | Should -Not -HaveKratixStatus -Field url -Value 'http://elsewhere'
            Get-ShouldFailure { $Result | Should -Not -HaveKratixStatus -Field url -Value 'http://shop.team-a.svc' } |
                Should -Be "Expected status.url of pipeline 'render' (resource.configure) not to be 'http://shop.team-a.svc', but it is."
        }
    }

    Context '-BeScheduledTo' {
        It 'passes for pipeline output whose selectors match the Destination''s labels, a name or a label table' {
            $Result | Should -BeScheduledTo -Destination @{ environment = 'dev'; zone = 'a' }
            $Result | Should -BeScheduledTo -Destination dev -Platform $platform.Home
            $Result | Should -Not -BeScheduledTo -Destination prod -Platform $platform.Home
        }

        It 'fails for pipeline output saying which labels each group needs' {
            Get-ShouldFailure { $Result | Should -BeScheduledTo -Destination prod -Platform $platform.Home } |
                Should -Be "Expected the output to be scheduled to Destination 'prod' (environment=prod), but group '.' needs environment=dev."
        }

        It 'passes for a request on the platform that landed on the Destination, and for its trace and WorkPlacement' {
            $Web | Should -BeScheduledTo -Destination dev -Platform $platform.Home
            Trace-KratixRequest -Promise app -Name web @P | Should -BeScheduledTo -Destination dev
            Get-KratixWorkPlacement @P | Should -BeScheduledTo -Destination dev
        }

        It 'fails for a request saying where it is' {
            Get-ShouldFailure { $Web | Should -BeScheduledTo -Destination prod -Platform $platform.Home } |
                Should -Be "Expected App 'default/web' to be scheduled to Destination 'prod', but it is on 'dev'."
            Get-ShouldFailure { $Bad | Should -BeScheduledTo -Destination dev -Platform $platform.Home } |
                Should -Be "Expected App 'default/bad' to be scheduled to Destination 'dev', but it is on no Destination."
        }
    }

    Context '-BeKratixReconciled' {
        It 'passes for a reconciled request, its trace, and a Promise' {
            $Web | Should -BeKratixReconciled
            Trace-KratixRequest -Promise app -Name web @P | Should -BeKratixReconciled
            Get-KratixPromise app @P | Should -BeKratixReconciled
            $Bad | Should -Not -BeKratixReconciled
        }

        It 'fails with the state, the reason, and what the trace finds' {
            $message = Get-ShouldFailure { $Bad | Should -BeKratixReconciled -Platform $platform.Home }

            $message | Should -BeLike "Expected App 'default/bad' to be reconciled, but it is Failing (ConfigureWorkflowFailed: Failing; the trace finds: Container render-step: exited with code 3; log: *render-step.log)."
        }

        It 'with -Not fails for a reconciled request' {
            Get-ShouldFailure { $Web | Should -Not -BeKratixReconciled } |
                Should -Be "Expected App 'default/web' not to be reconciled, but it is."
        }
    }

    Context 'Registration' {
        It 'Register-KratixShouldOperator registers them again without complaint and lists them' {
            Register-KratixShouldOperator -PassThru | Should -Be @('HaveKratixDocument', 'BeScheduledTo', 'HaveKratixStatus', 'BeKratixReconciled')
            (Get-ShouldOperator).Name | Should -Contain 'BeKratixReconciled'
        }

        It 'registers them when Pester is imported after Kratix, at the first Should, then unhooks' {
            $modules = @((Join-Path $RepoRoot 'out/Kratix/Kratix.psd1'), (Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'))
            $runspace = [powershell]::Create()
            try {
                $null = $runspace.AddScript({
                        param($Kratix, $Pester)
                        Import-Module $Kratix
                        Import-Module $Pester
                        $before = @((Get-ShouldOperator).Name) -contains 'HaveKratixDocument'
                        $hooked = $null -ne $ExecutionContext.InvokeCommand.PreCommandLookupAction
                        1 | Should -Be 1
                        $after = @((Get-ShouldOperator).Name) -contains 'HaveKratixDocument'
                        [pscustomobject]@{
                            Before    = $before
                            Hooked    = $hooked
                            After     = $after
                            HookAfter = $null -ne $ExecutionContext.InvokeCommand.PreCommandLookupAction
                            Failure   = $(try { @{ kind = 'A' } | Should -HaveKratixDocument -Kind B; $null } catch { $_.Exception.Message })
                        }
                    }).AddArgument($modules[0]).AddArgument($modules[1])
                $outcome = $runspace.Invoke()
                $runspace.Streams.Error | Should -BeNullOrEmpty
            }
            finally {
                $runspace.Dispose()
            }

            $outcome.Before | Should -BeFalse
            $outcome.Hooked | Should -BeTrue -Because 'Kratix waits for Pester with a command-lookup hook'
            $outcome.After | Should -BeTrue
            $outcome.HookAfter | Should -BeFalse -Because 'the hook takes itself out once the operators are registered'
            $outcome.Failure | Should -Be 'Expected the output to hold a B, but found A/.'
        }

        It 'Register-KratixShouldOperator says to import Pester when it is not loaded' {
            $runspace = [powershell]::Create()
            try {
                $null = $runspace.AddScript({ param($Kratix) Import-Module $Kratix; try { Register-KratixShouldOperator; 'registered' } catch { $_.FullyQualifiedErrorId } }).AddArgument((Join-Path $RepoRoot 'out/Kratix/Kratix.psd1'))
                $runspace.Invoke() | Should -Be 'PesterNotLoaded,Register-KratixShouldOperator'
            }
            finally {
                $runspace.Dispose()
            }
        }
    }
}
