#Requires -Version 7.4
# Pester 5: Register-, Get-, Test- and Unregister-KratixStateStore, on bare Git repositories and directories under TestDrive
# (and an S3 bucket on a server that is not there), and state-store credentials (-Credential, -Token, -SshKeyPath, Secret
# manifests). Credentials are not needed by a local
# bare repository, so these cases check where they are kept and that they never show; the xunit suite
# (tests/Kratix.Core.Tests/StateStores) checks them against a real HTTP server that enforces them, and over real SSH.

Describe 'Kratix state stores' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
    }

    Context 'A Git state store on a bare repository' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'git-store'
        }

        It 'registers and outputs nothing without -PassThru' {
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'is Ready, with the URL and the default branch' {
            $store = Get-KratixStateStore -Name default -Platform $platform.Home

            $store.PSObject.TypeNames[0] | Should -Be 'Kratix.GitStateStore'
            $store.Kind | Should -Be 'GitStateStore'
            $store.Name | Should -Be 'default'
            $store.State | Should -Be 'Ready'
            $store.Message | Should -Be 'State store is ready'
            $store.Spec.url | Should -Be $platform.Remote
            $store.Spec.branch | Should -Be 'main'
        }

        It 'leaves nothing in the repository from its write check' {
            Get-RemoteRef -Remote $platform.Remote | Should -BeNullOrEmpty
        }

        It 'outputs the store with -PassThru, with the branch, path and author it was given' {
            $store = Register-KratixStateStore -Name team -Url $platform.Remote -Branch main -StorePath 'platform' `
                -AuthorName 'Platform Team' -AuthorEmail 'platform@example.com' -Platform $platform.Home -PassThru

            @($store) | Should -HaveCount 1
            $store.Name | Should -Be 'team'
            $store.State | Should -Be 'Ready'
            $store.Spec.path | Should -Be 'platform'
            $store.Spec.gitAuthor.name | Should -Be 'Platform Team'
            $store.Spec.gitAuthor.email | Should -Be 'platform@example.com'
        }

        It 'lists stores by wildcard name and by kind' {
            Get-KratixStateStore -Platform $platform.Home | Should -HaveCount 2
            Get-KratixStateStore -Name 'def*' -Platform $platform.Home | Should -HaveCount 1
            Get-KratixStateStore -Kind GitStateStore -Platform $platform.Home | Should -HaveCount 2
            Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'reports an exact name that is not registered' {
            { Get-KratixStateStore -Name missing -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreNotFound,Kratix.PowerShell.Cmdlets.GetKratixStateStoreCommand'
        }

        It 'registers nothing with -WhatIf' {
            Register-KratixStateStore -Name what-if -Url $platform.Remote -Platform $platform.Home -WhatIf

            Get-KratixStateStore -Name what-if -Platform $platform.Home -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $platform.Home -Recurse -Force -Filter 'what-if*' | Should -BeNullOrEmpty
            Get-RemoteRef -Remote $platform.Remote | Should -BeNullOrEmpty
        }
    }

    Context 'A Git repository that does not exist' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'missing-repository'
            $missing = Join-Path $platform.Root 'no-such-repository.git'
        }

        It 'is registered NotReady, with a warning that says why' {
            $store = Register-KratixStateStore -Name broken -Url $missing -Platform $platform.Home -PassThru `
                -WarningAction SilentlyContinue -WarningVariable warned

            $store.State | Should -Be 'NotReady'
            $store.Message | Should -Match '^Error validating state store permissions: '
            @($warned).Count | Should -BeGreaterThan 0
            ($warned -join "`n") | Should -Match 'broken'
        }

        It 'is listed as NotReady' {
            (Get-KratixStateStore -Name broken -Platform $platform.Home).State | Should -Be 'NotReady'
        }

        It 'makes a Destination that uses it NotReady' {
            $destination = Register-KratixDestination -Name dev -StateStore broken -Platform $platform.Home -PassThru -WarningAction SilentlyContinue

            $destination.State | Should -Be 'NotReady'
            $destination.Message | Should -Be 'GitStateStore/broken: not ready'
        }

        It 'does not create the repository' {
            Test-Path -LiteralPath $missing | Should -BeFalse
        }
    }

    Context 'A directory state store (-Directory)' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'directory-store'
            $buckets = Join-Path $platform.Root 'buckets'
            $bucket = Join-Path $buckets 'kratix'
        }

        It 'is a Ready BucketStateStore whose endpoint is the parent of the directory' {
            $store = Register-KratixStateStore -Name local -Directory $bucket -Platform $platform.Home -PassThru

            $store.PSObject.TypeNames[0] | Should -Be 'Kratix.BucketStateStore'
            $store.Kind | Should -Be 'BucketStateStore'
            $store.State | Should -Be 'Ready'
            $store.Spec.endpoint | Should -Be $buckets
            $store.Spec.bucketName | Should -Be 'kratix'
            $store.Spec.authMethod | Should -Be 'IAM'
        }

        It 'receives the files of a Destination that uses it' {
            Register-KratixDestination -Name dev -StateStore local -StateStoreKind BucketStateStore -Platform $platform.Home

            Join-Path $bucket 'dev' 'dependencies' 'kratix-canary-namespace.yaml' | Should -Exist
            Join-Path $bucket 'dev' 'resources' 'kratix-canary-configmap.yaml' | Should -Exist
        }

        It 'writes under -StorePath inside the directory' {
            $nested = Join-Path $platform.Root 'nested'
            $store = Register-KratixStateStore -Name nested -Directory $nested -StorePath 'platform' -Platform $platform.Home -PassThru
            Register-KratixDestination -Name staging -StateStore nested -StateStoreKind BucketStateStore -Platform $platform.Home

            $store.Spec.path | Should -Be 'platform'
            Join-Path $nested 'platform' 'staging' 'dependencies' 'kratix-canary-namespace.yaml' | Should -Exist
        }

        It 'is listed with -Kind BucketStateStore' {
            Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Should -HaveCount 2
        }
    }

    Context 'An S3 bucket (-Endpoint, -BucketName)' {
        # No S3 server here (the xunit suite runs one): port 1 on 127.0.0.1 refuses connections, so the store is
        # NotReady, and these cases check the spec, where the access key is kept, and that the secret never shows.
        BeforeAll {
            $platform = New-TestPlatform -Name 's3-store'
            $secretKey = 'pester-S3CRET-' + [guid]::NewGuid().ToString('N')
            $accessKey = [pscredential]::new('AKIAPESTEREXAMPLE', (ConvertTo-SecureString -String $secretKey -AsPlainText -Force))
            $secretFile = Join-Path $platform.Home 'secrets' 'default' 's3-bucket-credentials.yaml'
            # authMethod IAM would ask an EC2 instance metadata service for a role; there is none to ask here.
            $savedImdsSetting = $env:AWS_EC2_METADATA_DISABLED
            $env:AWS_EC2_METADATA_DISABLED = 'true'
        }

        AfterAll {
            $env:AWS_EC2_METADATA_DISABLED = $savedImdsSetting
        }

        It 'keeps -Credential as the access key in a Secret and says why the store is not ready' {
            $store = Register-KratixStateStore -Name s3 -Endpoint '127.0.0.1:1' -Insecure -BucketName kratix -StorePath platform `
                -Credential $accessKey -Platform $platform.Home -PassThru -WarningVariable warned -WarningAction SilentlyContinue

            $store.Kind | Should -Be 'BucketStateStore'
            $store.State | Should -Be 'NotReady'
            $store.Spec.endpoint | Should -Be '127.0.0.1:1'
            $store.Spec.insecure | Should -BeTrue
            $store.Spec.authMethod | Should -Be 'accessKey'
            $store.Spec.secretRef.name | Should -Be 's3-bucket-credentials'
            $secretFile | Should -Exist
            ($warned | Out-String) | Should -Match ([regex]::Escape("the S3 bucket 'kratix' at http://127.0.0.1:1"))
            ($store | ConvertTo-Json -Depth 20) + ($warned | Out-String) | Should -Not -Match ([regex]::Escape($secretKey))
        }

        It 'tests access without showing the secret' {
            $tested = Test-KratixStateStore -Name s3 -Kind BucketStateStore -Platform $platform.Home

            $tested.Read | Should -BeFalse
            $tested.Write | Should -BeFalse
            ($tested | Out-String) | Should -Not -Match ([regex]::Escape($secretKey))
        }

        It 'uses the AWS credential chain (IAM) when registered again without -Credential, and deletes the Secret' {
            $store = Register-KratixStateStore -Name s3 -Endpoint '127.0.0.1:1' -Insecure -BucketName kratix -Platform $platform.Home `
                -PassThru -WarningAction SilentlyContinue

            $store.Spec.authMethod | Should -Be 'IAM'
            $store.Spec.secretRef | Should -BeNullOrEmpty
            $secretFile | Should -Not -Exist
        }

        It 'refuses an endpoint that is neither a server nor a directory, naming spec.endpoint' {
            { Register-KratixStateStore -Name bad -Endpoint 's3://kratix' -BucketName kratix -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*spec.endpoint*'
        }
    }

    Context 'Unregister-KratixStateStore' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'unregister-store'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixStateStore -Name local -Directory (Join-Path $platform.Root 'bucket') -Platform $platform.Home
            Register-KratixDestination -Name dev -StateStore default -Platform $platform.Home
        }

        It 'refuses to unregister a store a Destination uses' {
            { Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreInUse,Kratix.PowerShell.Cmdlets.UnregisterKratixStateStoreCommand'

            Get-KratixStateStore -Name default -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'names the Destination that uses it, as an InvalidOperation error about the store' {
            Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].Exception.Message | Should -Match '"dev"'
            $refused[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $refused[0].TargetObject | Should -Be 'default'
        }

        It 'keeps the store with -WhatIf' {
            Unregister-KratixStateStore -Name local -Kind BucketStateStore -Platform $platform.Home -WhatIf

            Get-KratixStateStore -Name local -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'unregisters a store piped from Get-KratixStateStore, which carries its kind' {
            Get-KratixStateStore -Name local -Platform $platform.Home | Unregister-KratixStateStore -Platform $platform.Home -Confirm:$false

            Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'unregisters a store no Destination uses any more and leaves what was written in the repository' {
            Unregister-KratixDestination -Name dev -Platform $platform.Home -Confirm:$false
            Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false

            Get-KratixStateStore -Platform $platform.Home | Should -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path 'dev/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
        }

        It 'reports a store that is not registered' {
            { Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreNotFound,Kratix.PowerShell.Cmdlets.UnregisterKratixStateStoreCommand'
        }
    }

    Context 'Test-KratixStateStore' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'test-store'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixStateStore -Name local -Directory (Join-Path $platform.Root 'bucket') -Platform $platform.Home
            Register-KratixDestination -Name dev -StateStore default -Platform $platform.Home
        }

        It 'reports read and write access for a Git store, as a Kratix.StateStoreTest' {
            $result = Test-KratixStateStore -Name default -Platform $platform.Home

            $result.PSObject.TypeNames[0] | Should -Be 'Kratix.StateStoreTest'
            $result.Name | Should -Be 'default'
            $result.Kind | Should -Be 'GitStateStore'
            $result.Read | Should -BeTrue
            $result.Write | Should -BeTrue
            $result.Message | Should -Match 'pushed and deleted the probe ref'
            $result.Duration | Should -BeOfType [timespan]
        }

        It 'leaves no ref and no commit on the remote' {
            $refs = Get-RemoteRef -Remote $platform.Remote
            $head = Get-RemoteHead -Remote $platform.Remote

            Test-KratixStateStore -Name default -Platform $platform.Home | Out-Null

            Get-RemoteRef -Remote $platform.Remote | Should -Be $refs
            Get-RemoteHead -Remote $platform.Remote | Should -Be $head
        }

        It 'tests every store without -Name, and stores piped from Get-KratixStateStore' {
            Test-KratixStateStore -Platform $platform.Home | Should -HaveCount 2
            $piped = Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Test-KratixStateStore -Platform $platform.Home

            @($piped) | Should -HaveCount 1
            $piped.Kind | Should -Be 'BucketStateStore'
            $piped.Read | Should -BeTrue
            $piped.Write | Should -BeTrue
            # Nothing was ever written to the store, so the check leaves not even the folder it made for its probe.
            Test-Path -LiteralPath (Join-Path $platform.Root 'bucket') | Should -BeFalse
        }

        It 'reports a repository that is gone as neither readable nor writable, and changes no status' {
            $gone = Join-Path $platform.Root 'gone.git'
            Copy-Item -LiteralPath $platform.Remote -Destination $gone -Recurse
            Register-KratixStateStore -Name moved -Url $gone -Platform $platform.Home
            Remove-Item -LiteralPath $gone -Recurse -Force

            $result = Test-KratixStateStore -Name moved -Platform $platform.Home

            $result.Read | Should -BeFalse
            $result.Write | Should -BeFalse
            $result.Message | Should -Match 'Write access was not checked'
            (Get-KratixStateStore -Name moved -Platform $platform.Home).State | Should -Be 'Ready'
        }

        It 'reports an exact name that is not registered' {
            { Test-KratixStateStore -Name missing -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreNotFound,Kratix.PowerShell.Cmdlets.TestKratixStateStoreCommand'
        }
    }

    Context 'Credentials' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'credentials'
            $password = 'pester-S3CRET-' + [guid]::NewGuid().ToString('N')
            $credential = [pscredential]::new('kratix-bot', (ConvertTo-SecureString -String $password -AsPlainText -Force))
            $secretsFolder = Join-Path $platform.Home 'secrets'

            function Get-FileWithText {
                param([string] $Folder, [string] $Text)
                Get-ChildItem -LiteralPath $Folder -Recurse -File -Force | Where-Object {
                    [System.IO.File]::ReadAllText($_.FullName).Contains($Text)
                }
            }
        }

        It 'keeps -Credential as a Secret the store refers to, never in the store object' {
            $store = Register-KratixStateStore -Name default -Url $platform.Remote -Credential $credential -Platform $platform.Home -PassThru

            $store.State | Should -Be 'Ready'
            $store.Spec.authMethod | Should -Be 'basicAuth'
            $store.Spec.secretRef.name | Should -Be 'default-git-credentials'
            $store.Spec.secretRef.namespace | Should -Be 'default'
            Join-Path $secretsFolder 'default' 'default-git-credentials.yaml' | Should -Exist
            ($store | ConvertTo-Json -Depth 20) | Should -Not -Match ([regex]::Escape($password))
        }

        It 'writes the password nowhere in plain text, and nowhere outside secrets/ even base64-encoded' {
            $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($password))

            Get-FileWithText -Folder $platform.Root -Text $password | Should -BeNullOrEmpty
            Get-FileWithText -Folder $platform.Home -Text $encoded | ForEach-Object FullName |
                Should -Be (Join-Path $secretsFolder 'default' 'default-git-credentials.yaml')
        }

        # Skipped on Windows only: Unix file modes (0600/0700) do not exist there; the Secret inherits the home's ACL (docs/state-stores.md).
        It 'makes the Secret readable by its owner only' -Skip:$IsWindows {
            (Get-Item -LiteralPath (Join-Path $secretsFolder 'default' 'default-git-credentials.yaml')).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite')
            (Get-Item -LiteralPath $secretsFolder).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
        }

        It 'shows no secret in -Verbose output, warnings or Test-KratixStateStore' {
            $output = Register-KratixStateStore -Name default -Url $platform.Remote -Credential $credential -Platform $platform.Home `
                -PassThru -Verbose -WarningVariable warned 4>&1
            $tested = Test-KratixStateStore -Name default -Platform $platform.Home

            ($output | Out-String) + ($warned | Out-String) + ($tested | Out-String) | Should -Not -Match ([regex]::Escape($password))
            $tested.Write | Should -BeTrue
        }

        It 'takes a token alone with -Token, as user x-access-token' {
            $token = ConvertTo-SecureString -String 'pester-token-S3CRET' -AsPlainText -Force
            $store = Register-KratixStateStore -Name token-store -Url $platform.Remote -Token $token -Platform $platform.Home -PassThru

            $store.Spec.secretRef.name | Should -Be 'token-store-git-credentials'
            $text = Get-Content -Raw -LiteralPath (Join-Path $secretsFolder 'default' 'token-store-git-credentials.yaml')
            $text | Should -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('x-access-token'))))
        }

        It 'keeps -SshKeyPath and -KnownHostsPath as paths, with authMethod ssh' {
            $key = Join-Path $platform.Root 'id_ed25519'
            $knownHosts = Join-Path $platform.Root 'known_hosts'
            $store = Register-KratixStateStore -Name ssh-store -Url $platform.Remote -SshKeyPath $key -KnownHostsPath $knownHosts `
                -Platform $platform.Home -PassThru

            $store.Spec.authMethod | Should -Be 'ssh'
            $store.Spec.secretRef.name | Should -Be 'ssh-store-git-credentials'
        }

        It 'refuses two kinds of credentials at once' {
            { Register-KratixStateStore -Name both -Url $platform.Remote -Credential $credential -SshKeyPath './id' -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreCredentialsInvalid,Kratix.PowerShell.Cmdlets.RegisterKratixStateStoreCommand'
        }

        It 'registers a Secret and the store that names it from one manifest, and outputs only the store' {
            $manifest = Join-Path $platform.Root 'store-with-secret.yaml'
            Set-Content -LiteralPath $manifest -Encoding utf8NoBOM -Value @"
apiVersion: platform.kratix.io/v1alpha1
kind: GitStateStore
metadata:
  name: from-manifest
spec:
  url: '$($platform.Remote.Replace("'", "''"))'
  authMethod: basicAuth
  secretRef:
    name: manifest-credentials
    namespace: default
---
apiVersion: v1
kind: Secret
metadata:
  name: manifest-credentials
  namespace: default
stringData:
  username: kratix-bot
  password: manifest-S3CRET
"@
            $output = Register-KratixStateStore -Path $manifest -Platform $platform.Home -PassThru

            @($output) | Should -HaveCount 1
            $output.Kind | Should -Be 'GitStateStore'
            $output.State | Should -Be 'Ready'
            Join-Path $secretsFolder 'default' 'manifest-credentials.yaml' | Should -Exist
            Get-FileWithText -Folder $platform.Home -Text 'manifest-S3CRET' | Should -BeNullOrEmpty
        }

        It 'reports a store whose Secret is missing as NotReady, naming the Secret' {
            $store = Register-KratixStateStore -InputObject @{
                apiVersion = 'platform.kratix.io/v1alpha1'
                kind       = 'GitStateStore'
                metadata   = @{ name = 'orphan' }
                spec       = @{ url = $platform.Remote; secretRef = @{ name = 'no-such-secret' } }
            } -Platform $platform.Home -PassThru -WarningAction SilentlyContinue

            $store.State | Should -Be 'NotReady'
            $store.Message | Should -Match 'Secret default/no-such-secret'
        }

        It 'deletes the Secret with the store that used it' {
            Unregister-KratixStateStore -Name token-store -Platform $platform.Home -Confirm:$false

            Join-Path $secretsFolder 'default' 'token-store-git-credentials.yaml' | Should -Not -Exist
        }

        It 'goes back to your own git configuration when registered again without credentials' {
            $store = Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home -PassThru

            $store.Spec.secretRef | Should -BeNullOrEmpty
            Join-Path $secretsFolder 'default' 'default-git-credentials.yaml' | Should -Not -Exist
        }
    }
}
