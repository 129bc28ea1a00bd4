#Requires -Version 7.4
# Pester 5: New-, Get-, Set-, Remove- and Test-KratixRequest: validation and defaulting against a Promise's API,
# every failing field reported, pipelines, and offline validation with -PromisePath.

Describe 'Kratix resource requests' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $BundleFolder = 'testbundle__test.core.assets.promise'
        $TestBundle = Get-UpstreamPromisePath -Folder $BundleFolder -File 'promise.yaml'
        $BundleRequest = Get-UpstreamPromisePath -Folder $BundleFolder -File 'example-resource.yaml'

        # A request for the tests' cache Promise that fails three ways: its name, spec.size (line 6) and spec.replicas (line 7).
        $BadRequestYaml = @'
apiVersion: marketplace.kratix.io/v1alpha1
kind: Cache
metadata:
  name: Bad_Name
spec:
  size: huge
  replicas: 9
'@
        $GoodRequestYaml = @'
apiVersion: marketplace.kratix.io/v1alpha1
kind: Cache
metadata:
  name: good
spec:
  replicas: 2
'@
    }

    Context 'New-KratixRequest' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'new-request'
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
            Install-KratixPromise -Path $TestBundle -Platform $platform.Home -WarningAction SilentlyContinue
        }

        It 'submits an upstream request from -Path and outputs it' {
            $request = New-KratixRequest -Path $BundleRequest -Platform $platform.Home -WarningAction SilentlyContinue

            @($request) | Should -HaveCount 1
            $request.PSObject.TypeNames[0] | Should -Be 'Kratix.ResourceRequest'
            $request.Kind | Should -Be 'TestBundle'
            $request.Name | Should -Be 'kratix-test'
            $request.Namespace | Should -Be 'default'
            $request.Promise | Should -Be 'testbundle'
            $request.Spec.configMapName | Should -Be 'ksystest-cm'
            $request.Labels.'kratix.io/promise-name' | Should -Be 'testbundle'
        }

        It 'runs the request''s workflow and waits for a Destination for its Works' {
            $request = Get-KratixRequest -Promise testbundle -Platform $platform.Home
            $request.Status.stage | Should -Be 'two'
            ($request.Conditions | Where-Object Type -EQ 'ConfigureWorkflowCompleted').Status | Should -Be 'True'
            ($request.Conditions | Where-Object Type -EQ 'WorksSucceeded').Reason | Should -Be 'WorksPending'
            $request.State | Should -Be 'Pending'
        }

        It 'builds a request from -Promise, -Name and a -Spec hashtable, with the API defaults applied' {
            $request = New-KratixRequest -Promise cache -Name small-one -Spec @{ replicas = 2 } -Platform $platform.Home

            $request.Kind | Should -Be 'Cache'
            $request.ApiVersion | Should -Be 'marketplace.kratix.io/v1alpha1'
            $request.Namespace | Should -Be 'default'
            $request.Promise | Should -Be 'cache'
            $request.Spec.size | Should -Be 'small'
            $request.Spec.replicas | Should -Be 2
            $request.Status.observedGeneration | Should -Be 1
        }

        It 'takes -Namespace and -Label' {
            $request = New-KratixRequest -Promise cache -Name team-cache -Namespace team-a -Label @{ team = 'a' } -Spec @{ replicas = 1; size = 'large' } -Platform $platform.Home

            $request.Namespace | Should -Be 'team-a'
            $request.Labels.team | Should -Be 'a'
            $request.Spec.size | Should -Be 'large'
        }

        It 'takes the name and spec by position' {
            $request = New-KratixRequest -Promise cache positional @{ replicas = 4 } -Platform $platform.Home

            $request.Name | Should -Be 'positional'
            $request.Spec.replicas | Should -Be 4
        }

        It 'refuses to replace a request that exists' {
            { New-KratixRequest -Promise cache -Name small-one -Spec @{ replicas = 3 } -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestExists,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'

            (Get-KratixRequest -Promise cache -Name small-one -Platform $platform.Home).Spec.replicas | Should -Be 2
        }

        It 'refuses a Promise that is not installed' {
            { New-KratixRequest -Promise nothing -Name any -Spec @{ replicas = 1 } -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromiseNotFound,*'
        }

        It 'submits nothing with -WhatIf' {
            New-KratixRequest -Promise cache -Name what-if -Spec @{ replicas = 1 } -Platform $platform.Home -WhatIf

            Get-KratixRequest -Promise cache -Name what-if -Platform $platform.Home -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'submits every file of -Path together, outputs each in input order and refuses only the bad one' {
            $folder = Join-Path $platform.Root 'many'
            $null = New-Item -ItemType Directory -Path $folder -Force
            foreach ($n in 1..3) {
                Set-Content -LiteralPath (Join-Path $folder "cache-$n.yaml") -Encoding utf8NoBOM -Value ($GoodRequestYaml -replace 'name: good', "name: many-$n")
            }
            Set-Content -LiteralPath (Join-Path $folder 'cache-4.yaml') -Value $BadRequestYaml -Encoding utf8NoBOM

            $requests = New-KratixRequest -Path (Join-Path $folder '*.yaml') -Platform $platform.Home -ErrorAction SilentlyContinue -ErrorVariable refused

            $requests.Name | Should -Be @('many-1', 'many-2', 'many-3')
            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -Be 'RequestInvalid,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
            (Get-KratixRequest -Promise cache -Platform $platform.Home | Where-Object Name -Like 'many-*').Name | Should -Be @('many-1', 'many-2', 'many-3')
        }

        It 'submits what is piped in together when the input ends' {
            $names = 'piped-1', 'piped-2' | ForEach-Object { [pscustomobject]@{ Promise = 'cache'; Name = $_ } } |
                New-KratixRequest -Spec @{ replicas = 1 } -Platform $platform.Home |
                ForEach-Object Name

            $names | Should -Be @('piped-1', 'piped-2')
        }
    }

    Context 'An invalid request' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'invalid-request'
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
            $badFile = Join-Path $platform.Root 'bad.yaml'
            Set-Content -LiteralPath $badFile -Value $BadRequestYaml -Encoding utf8NoBOM
        }

        It 'is refused with the error id RequestInvalid' {
            { New-KratixRequest -Promise cache -Name Bad_Name -Spec @{ size = 'huge'; replicas = 9 } -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestInvalid,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
        }

        It 'reports every failing field in one InvalidData error' {
            New-KratixRequest -Promise cache -Name Bad_Name -Spec @{ size = 'huge'; replicas = 9 } -Platform $platform.Home `
                -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems = @($refused[0].Exception.Problems)
            $problems | Where-Object { $_ -match 'metadata\.name: Invalid value: "Bad_Name"' } | Should -Not -BeNullOrEmpty
            $problems | Where-Object { $_ -match 'spec\.size: Unsupported value: "huge"' } | Should -Not -BeNullOrEmpty
            $problems | Where-Object { $_ -match 'spec\.replicas: .*less than or equal to 5' } | Should -Not -BeNullOrEmpty
        }

        It 'reports a missing required field' {
            New-KratixRequest -Promise cache -Name no-replicas -Spec @{ size = 'small' } -Platform $platform.Home `
                -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -Be 'RequestInvalid,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
            $refused[0].Exception.Problems | Where-Object { $_ -match 'spec\.replicas: Required value' } | Should -Not -BeNullOrEmpty
        }

        It 'locates each failing field by line and column in the file it came from' {
            New-KratixRequest -Path $badFile -Platform $platform.Home -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -Be 'RequestInvalid,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
            $problems = @($refused[0].Exception.Problems)
            $problems | Where-Object { $_ -match 'bad\.yaml:6:3: spec\.size: Unsupported value: "huge"' } | Should -Not -BeNullOrEmpty
            $problems | Where-Object { $_ -match 'bad\.yaml:7:3: spec\.replicas: ' } | Should -Not -BeNullOrEmpty
        }

        It 'stores nothing' {
            Get-KratixRequest -Platform $platform.Home | Should -BeNullOrEmpty
        }
    }

    Context 'Get-, Set- and Remove-KratixRequest' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'request-lifecycle'
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
            $null = New-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 1 } -Platform $platform.Home
            $null = New-KratixRequest -Promise cache -Name alpine -Spec @{ replicas = 1 } -Platform $platform.Home
            $null = New-KratixRequest -Promise cache -Name beta -Namespace team-b -Spec @{ replicas = 1 } -Platform $platform.Home
        }

        It 'lists every request, and those of one Promise' {
            Get-KratixRequest -Platform $platform.Home | Should -HaveCount 3
            Get-KratixRequest -Promise cache -Platform $platform.Home | Should -HaveCount 3
            Get-KratixRequest -Promise other -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'lists requests by wildcard name' {
            Get-KratixRequest -Name 'alp*' -Platform $platform.Home | Should -HaveCount 2
        }

        It 'lists the requests of one namespace' {
            (Get-KratixRequest -Namespace team-b -Platform $platform.Home).Name | Should -Be 'beta'
        }

        It 'reports an exact name that matches nothing' {
            { Get-KratixRequest -Name gamma -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestNotFound,Kratix.PowerShell.Cmdlets.GetKratixRequestCommand'
        }

        It 'Set-KratixRequest replaces the spec, re-applies the defaults and outputs nothing without -PassThru' {
            Set-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 3 } -Platform $platform.Home | Should -BeNullOrEmpty

            $request = Get-KratixRequest -Promise cache -Name alpha -Platform $platform.Home
            $request.Spec.replicas | Should -Be 3
            $request.Spec.size | Should -Be 'small'
            $request.Metadata.generation | Should -Be 2
        }

        It 'Set-KratixRequest -PassThru outputs the request, creating it when it does not exist' {
            $request = Set-KratixRequest -Promise cache -Name gamma -Spec @{ replicas = 2 } -Platform $platform.Home -PassThru

            $request.PSObject.TypeNames[0] | Should -Be 'Kratix.ResourceRequest'
            $request.Name | Should -Be 'gamma'
            $request.Spec.replicas | Should -Be 2
        }

        It 'Set-KratixRequest refuses an invalid change and keeps the request as it was' {
            { Set-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 99 } -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestInvalid,Kratix.PowerShell.Cmdlets.SetKratixRequestCommand'

            (Get-KratixRequest -Promise cache -Name alpha -Platform $platform.Home).Spec.replicas | Should -Be 3
        }

        It 'Set-KratixRequest changes nothing with -WhatIf' {
            Set-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 5 } -Platform $platform.Home -WhatIf

            (Get-KratixRequest -Promise cache -Name alpha -Platform $platform.Home).Spec.replicas | Should -Be 3
        }

        It 'Remove-KratixRequest keeps the request with -WhatIf' {
            Remove-KratixRequest -Promise cache -Name gamma -Platform $platform.Home -WhatIf

            Get-KratixRequest -Promise cache -Name gamma -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'Remove-KratixRequest removes a request by Promise and name' {
            Remove-KratixRequest -Promise cache -Name gamma -Platform $platform.Home -Confirm:$false

            Get-KratixRequest -Promise cache -Name gamma -Platform $platform.Home -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'Remove-KratixRequest removes the requests piped from Get-KratixRequest' {
            Get-KratixRequest -Promise cache -Name 'alp*' -Platform $platform.Home | Remove-KratixRequest -Platform $platform.Home -Confirm:$false

            (Get-KratixRequest -Platform $platform.Home).Name | Should -Be 'beta'
        }

        It 'Remove-KratixRequest takes the namespace from the piped request' {
            Get-KratixRequest -Namespace team-b -Platform $platform.Home | Remove-KratixRequest -Platform $platform.Home -Confirm:$false

            Get-KratixRequest -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'Remove-KratixRequest reports a request that does not exist' {
            { Remove-KratixRequest -Promise cache -Name gamma -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestNotFound,Kratix.PowerShell.Cmdlets.RemoveKratixRequestCommand'
        }
    }

    Context 'Test-KratixRequest' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'test-request'
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
            $goodFile = Join-Path $platform.Root 'good.yaml'
            Set-Content -LiteralPath $goodFile -Value $GoodRequestYaml -Encoding utf8NoBOM
            $badFile = Join-Path $platform.Root 'bad.yaml'
            Set-Content -LiteralPath $badFile -Value $BadRequestYaml -Encoding utf8NoBOM
            $offline = New-TestPlatform -Name 'test-request-offline'
        }

        It 'outputs $true for a valid request against the installed Promise' {
            $result = Test-KratixRequest -Promise cache -Name valid -Spec @{ replicas = 1 } -Platform $platform.Home

            $result | Should -BeOfType ([bool])
            $result | Should -Be $true
        }

        It 'outputs $false for an invalid request' {
            $result = Test-KratixRequest -Promise cache -Name invalid -Spec @{ replicas = 0 } -Platform $platform.Home

            $result | Should -BeOfType ([bool])
            $result | Should -Be $false
        }

        It 'outputs a report with the located problems with -Detailed' {
            $report = Test-KratixRequest -Path $badFile -Platform $platform.Home -Detailed

            $report.PSObject.TypeNames[0] | Should -Be 'Kratix.ValidationReport'
            $report.IsValid | Should -Be $false
            $report.Kind | Should -Be 'Cache'
            $report.Name | Should -Be 'Bad_Name'
            $report.Problems | Where-Object { $_ -match 'bad\.yaml:6:3: spec\.size' } | Should -Not -BeNullOrEmpty
        }

        It 'stores nothing' {
            Get-KratixRequest -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'validates offline against -PromisePath, on a platform where the Promise is not installed' {
            Test-KratixRequest -Path $goodFile -PromisePath $cache -Platform $offline.Home | Should -Be $true
            Test-KratixRequest -Path $badFile -PromisePath $cache -Platform $offline.Home | Should -Be $false
            (Get-KratixPlatform -Platform $offline.Home).Promises | Should -Be 0
        }

        It 'validates an upstream request offline against its upstream Promise' {
            Test-KratixRequest -Path $BundleRequest -PromisePath $TestBundle -Platform $offline.Home | Should -Be $true
        }

        It 'reports offline a request whose kind the -PromisePath file does not define' {
            { Test-KratixRequest -Path $BundleRequest -PromisePath $cache -Platform $offline.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromiseNotFoundForRequest,Kratix.PowerShell.Cmdlets.TestKratixRequestCommand'
        }
    }
    Context '-FieldValidation' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'field-validation'
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
            $unknownFile = Join-Path $platform.Root 'unknown.yaml'
            Set-Content -LiteralPath $unknownFile -Encoding utf8NoBOM -Value @'
apiVersion: marketplace.kratix.io/v1alpha1
kind: Cache
metadata:
  name: colourful
spec:
  replicas: 2
  replicas: 3
  colour: blue
'@
        }

        It 'Strict (the default) refuses an unknown field and a duplicate key with the API server''s strict decoding error' {
            { New-KratixRequest -Path $unknownFile -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestBadRequest,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
            $err = $null
            New-KratixRequest -Path $unknownFile -FieldValidation Strict -Platform $platform.Home -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike '*unknown.yaml:1:1: Cache in version "v1alpha1" cannot be handled as a Cache: strict decoding error: yaml: unmarshal errors:*line 7: key "replicas" already set in map, unknown field "spec.colour"'
            Get-KratixRequest -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'Warn prunes the unknown field, keeps the last value of the duplicate key and warns for each' {
            $warnings = $null
            $request = New-KratixRequest -Path $unknownFile -FieldValidation Warn -Platform $platform.Home -WarningVariable warnings

            $request.Spec.replicas | Should -Be 3
            $request.Spec.Keys | Should -Not -Contain 'colour'
            @($warnings | ForEach-Object { "$_" }) | Should -Contain 'line 7: key "replicas" already set in map'
            @($warnings | ForEach-Object { "$_" }) | Should -Contain 'unknown field "spec.colour"'
        }

        It 'Ignore prunes the unknown field silently' {
            $warnings = $null
            $request = Set-KratixRequest -Path $unknownFile -FieldValidation Ignore -PassThru -Platform $platform.Home -WarningVariable warnings

            $request.Spec.Keys | Should -Not -Contain 'colour'
            @($warnings | Where-Object { "$_" -match 'unknown field|already set' }) | Should -BeNullOrEmpty
        }

        It 'Test-KratixRequest takes -FieldValidation, and Connect-KratixPlatform -FieldValidation saves the default' {
            Test-KratixRequest -Path $unknownFile -Platform $platform.Home | Should -Be $false
            Test-KratixRequest -Path $unknownFile -FieldValidation Warn -Platform $platform.Home | Should -Be $true
            Test-KratixRequest -Path $unknownFile -PromisePath $cache -FieldValidation Ignore -Platform $platform.Home | Should -Be $true

            Connect-KratixPlatform -Path $platform.Home -FieldValidation Warn
            Get-Content -LiteralPath (Join-Path $platform.Home 'platform.yaml') -Raw | Should -Match 'fieldValidation: Warn'
            Test-KratixRequest -Path $unknownFile -Platform $platform.Home | Should -Be $true
        }
    }
    Context 'Inputs at the edges' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'edge-inputs'
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
        }

        It 'refuses an input that holds no request instead of doing nothing' {
            $empty = Join-Path $platform.Root 'empty.yaml'
            Set-Content -LiteralPath $empty -Value "---`nnull`n---`n"
            { New-KratixRequest -Path $empty -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'RequestInputEmpty,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
        }

        It 'refuses piped text that holds no manifest' {
            # A line of text is kept until the input ends (it may be the first of a document), then read: 'null' is none.
            { New-KratixRequest -InputObject 'null' -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'ManifestTextEmpty,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
        }

        It 'answers metadata that is a string with the API server''s decoding error' {
            $err = $null
            New-KratixRequest -InputObject @{ apiVersion = 'marketplace.kratix.io/v1alpha1'; kind = 'Cache'; metadata = 'oops'; spec = @{ replicas = 1 } } -Platform $platform.Home -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'RequestBadRequest,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
            $err[0].Exception.Message | Should -Be 'Cache in version "v1alpha1" cannot be handled as a Cache: json: cannot unmarshal string into Go value of type v1.ObjectMeta'
        }
    }
    Context 'CEL rules' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'cel-rules'
            $promise = Join-Path $platform.Root 'bucket.yaml'
            Set-Content -LiteralPath $promise -Encoding utf8NoBOM -Value @'
apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: bucket
spec:
  api:
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: buckets.marketplace.kratix.io
    spec:
      group: marketplace.kratix.io
      names: {kind: Bucket, plural: buckets, singular: bucket}
      scope: Namespaced
      versions:
      - name: v1alpha1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                - rule: quantity(self.size).isLessThan(quantity('10Gi'))
                  message: a bucket holds at most 10Gi
                  fieldPath: .size
                properties:
                  size: {type: string}
                  region: {type: string, x-kubernetes-validations: [{rule: self == oldSelf, message: region is immutable}]}
'@
            Install-KratixPromise -Path $promise -Platform $platform.Home -WarningAction SilentlyContinue
        }

        It 'refuses a request that breaks a rule, at the rule''s field, with its message' {
            $err = $null
            New-KratixRequest -Promise bucket -Name big -Spec @{ size = '20Gi'; region = 'eu' } -Platform $platform.Home -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'RequestInvalid,Kratix.PowerShell.Cmdlets.NewKratixRequestCommand'
            $err[0].Exception.Message | Should -BeLike '*spec.size: Invalid value: a bucket holds at most 10Gi*'
            New-KratixRequest -Promise bucket -Name small -Spec @{ size = '1Gi'; region = 'eu' } -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'runs transition rules on Set-KratixRequest against the stored request' {
            { Set-KratixRequest -Promise bucket -Name small -Spec @{ size = '2Gi'; region = 'us' } -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw '*spec.region: Invalid value: "us": region is immutable*'
            Set-KratixRequest -Promise bucket -Name small -Spec @{ size = '2Gi'; region = 'eu' } -PassThru -Platform $platform.Home |
                ForEach-Object { $_.Spec.size } | Should -Be '2Gi'
        }
    }
}
