#Requires -Version 7.4
# Pester 5: the module's help, compiled from docs/cmdlets into out/Kratix/en-US by the build, is complete and cannot lie.
# Every exported cmdlet has a synopsis, a description, at least two examples and a description of every parameter; the
# parameters it documents are the ones it has, with the type, aliases, wildcards, default value, and per parameter set
# the required, position and pipeline input that Get-Command reports; its markdown shows the real syntax; its inputs
# and outputs name the real types. And every example runs, as written, on a fixture platform: the folder
# tests/pester/help-examples (the files the examples name), a Git state store, a Destination, the Redis Promise and one
# request, restored before each example. docs/cmdlets/README.md describes the conventions.

BeforeDiscovery {
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force

    $Cmdlets = @((Get-Module -Name Kratix).ExportedCmdlets.Keys | Sort-Object)

    # Each example as Get-Help shows it: the code is taken from the compiled help, not from the markdown.
    $Examples = foreach ($cmdlet in $Cmdlets) {
        $number = 0
        foreach ($example in @((Get-Help -Name $cmdlet -Full).examples.example)) {
            $number++
            @{ Cmdlet = $cmdlet; Number = $number; Title = ($example.title -replace '^[-\s]+|[-\s]+$', ''); Code = [string] $example.code }
        }
    }

    # The about topics' code blocks run too.
    $AboutExamples = foreach ($file in Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'docs/cmdlets') -Filter 'about_*.md') {
        $number = 0
        foreach ($match in [regex]::Matches((Get-Content -LiteralPath $file.FullName -Raw), '(?ms)^```powershell\r?\n(.*?)^```')) {
            $number++
            @{ Topic = $file.BaseName; Number = $number; Code = $match.Groups[1].Value }
        }
    }
}

BeforeAll {
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

    $HelpSource = Join-Path $RepoRoot 'docs/cmdlets'
    $CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters

    # A parameter's type as help names it: the type's own name, a nullable value type by its underlying type.
    function Get-HelpTypeName([type] $Type) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $underlying.Name } else { $Type.Name }
    }

    # How help says a parameter takes pipeline input: False, True (ByValue), True (ByPropertyName) or both.
    function Get-PipelineInputText($Metadata) {
        $kinds = @(
            if ($Metadata.ValueFromPipeline) { 'ByValue' }
            if ($Metadata.ValueFromPipelineByPropertyName) { 'ByPropertyName' }
        )
        if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
    }

    function Get-PositionText([int] $Position) {
        if ($Position -lt 0) { 'named' } else { [string] $Position }
    }

    # The SYNTAX section of a cmdlet's markdown: each "### <set>[ (Default)]" heading and its code block on one line.
    function Get-MarkdownSyntax([string] $Path) {
        $text = Get-Content -LiteralPath $Path -Raw
        $section = [regex]::Match($text, '(?ms)^## SYNTAX\s*$(.*?)^## ').Groups[1].Value
        foreach ($match in [regex]::Matches($section, '(?ms)^### (.+?)\s*$\s*^```[^\n]*\n(.*?)^```')) {
            $title = $match.Groups[1].Value
            [pscustomobject]@{
                ParameterSet = $title -replace '\s*\(Default\)$', ''
                IsDefault    = $title.EndsWith('(Default)')
                Syntax       = ($match.Groups[2].Value -split '\s+' | Where-Object { $_ }) -join ' '
            }
        }
    }
}

Describe 'Cmdlet help' {
    It 'docs/cmdlets has a markdown file for every exported cmdlet, and only for those' {
        $exported = @((Get-Module -Name Kratix).ExportedCmdlets.Keys)
        $documented = @(Get-ChildItem -LiteralPath $HelpSource -Filter '*.md' | Where-Object { $_.Name -ne 'README.md' -and $_.Name -notlike 'about_*' } | ForEach-Object BaseName)

        @($exported | Where-Object { $_ -notin $documented }) | Should -BeNullOrEmpty -Because 'every cmdlet needs docs/cmdlets/<Name>.md'
        @($documented | Where-Object { $_ -notin $exported }) | Should -BeNullOrEmpty -Because 'a help file must document a cmdlet the module exports'
    }

    It 'ships about_Kratix, whose synopsis is its short description' {
        $topic = Get-Help -Name about_Kratix -Category HelpFile

        $topic.Synopsis | Should -Be 'Kratix Promises, requests, Destinations and state stores in PowerShell.'
        ($topic | Out-String) | Should -Match 'LONG DESCRIPTION'
    }

    Context '<_>' -ForEach $Cmdlets {
        BeforeAll {
            $Name = $_
            $Command = Get-Command -Name $Name -Module Kratix
            $Help = Get-Help -Name $Name -Full
            $Documented = @($Help.parameters.parameter)
            $Parameters = @($Command.Parameters.Values | Where-Object Name -NotIn $CommonParameterNames)
        }

        It 'has a synopsis' {
            $synopsis = "$($Help.Synopsis)".Trim()
            $synopsis | Should -Not -BeNullOrEmpty
            # Without help, Get-Help makes the synopsis from the syntax.
            $synopsis | Should -Not -BeLike "$Name *"
        }

        It 'has a description' {
            (@($Help.description.Text) -join "`n").Trim() | Should -Not -BeNullOrEmpty
        }

        It 'has at least two examples, each with code and remarks' {
            $examples = @($Help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 2
            foreach ($example in $examples) {
                "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
                (@($example.remarks.Text) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs remarks saying what it does"
            }
        }

        It 'documents exactly the parameters the cmdlet has' {
            $documentedNames = @($Documented.name)
            @($Parameters.Name | Where-Object { $_ -notin $documentedNames }) | Should -BeNullOrEmpty -Because 'every parameter must be documented'
            @($documentedNames | Where-Object { $_ -notin $Parameters.Name }) | Should -BeNullOrEmpty -Because 'help must not document a parameter the cmdlet does not have'
        }

        It 'describes every parameter' {
            foreach ($parameter in $Documented) {
                (@($parameter.description.Text) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
            }
        }

        It 'gives every parameter its real type, aliases, wildcard support and default value' {
            $instance = [System.Activator]::CreateInstance($Command.ImplementingType)
            $problems = foreach ($documented in $Documented) {
                $real = $Command.Parameters[$documented.name]
                if (-not $real) { continue }

                $type = Get-HelpTypeName $real.ParameterType
                if ($documented.type.name -ne $type) { "-$($real.Name): Type is $($documented.type.name), but the parameter is a $type" }

                $aliases = if ($documented.aliases -eq 'none') { @() } else { @($documented.aliases -split ',\s*') }
                if ((@($aliases | Sort-Object) -join ', ') -ne (@($real.Aliases | Sort-Object) -join ', ')) {
                    "-$($real.Name): Aliases are '$($aliases -join ', ')', but the parameter has '$($real.Aliases -join ', ')'"
                }

                $wildcards = [bool] ($real.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                if ([bool]::Parse($documented.globbing) -ne $wildcards) { "-$($real.Name): Accept wildcard characters is $($documented.globbing), but [SupportsWildcards] is $wildcards" }

                # A default the cmdlet really sets must be the one help gives; with none, help may describe what happens.
                $property = $Command.ImplementingType.GetProperty($real.Name)
                if ($property) {
                    $default = $property.GetValue($instance)
                    $expected = if ($default -is [System.Management.Automation.SwitchParameter]) { [string] $default.IsPresent } elseif ($null -ne $default -and "$default" -ne '') { "$default" }
                    if ($null -ne $expected -and $documented.defaultValue -ne $expected) { "-$($real.Name): Default value is '$($documented.defaultValue)', but the cmdlet's default is '$expected'" }
                }
            }

            $problems | Should -BeNullOrEmpty
        }

        It 'has a syntax entry per parameter set whose parameters are required, positioned and piped as the cmdlet takes them' {
            $items = @($Help.syntax.syntaxItem)
            $items.Count | Should -Be $Command.ParameterSets.Count -Because 'there must be a syntax entry per parameter set'
            $problems = foreach ($set in $Command.ParameterSets) {
                $names = @($set.Parameters.Name | Where-Object { $_ -notin $CommonParameterNames } | Sort-Object)
                $item = $items | Where-Object { (@($_.parameter.name | Sort-Object) -join ',') -eq ($names -join ',') } | Select-Object -First 1
                if (-not $item) {
                    "parameter set $($set.Name): no syntax entry shows exactly its parameters ($($names -join ', '))"
                    continue
                }

                foreach ($real in $set.Parameters | Where-Object Name -In $names) {
                    $shown = $item.parameter | Where-Object name -EQ $real.Name
                    $required = ([string] $real.IsMandatory).ToLowerInvariant()
                    if ($shown.required -ne $required) { "parameter set $($set.Name), -$($real.Name): Required is $($shown.required), but it is $required" }
                    $position = Get-PositionText $real.Position
                    if ($shown.position -ne $position) { "parameter set $($set.Name), -$($real.Name): Position is $($shown.position), but it is $position" }
                    $pipeline = Get-PipelineInputText $real
                    if ($shown.pipelineInput -ne $pipeline) { "parameter set $($set.Name), -$($real.Name): Accept pipeline input is $($shown.pipelineInput), but it is $pipeline" }
                }
            }

            $problems | Should -BeNullOrEmpty
        }

        It 'gives each parameter the required, position and pipeline input of one of its sets' {
            # The PARAMETERS section shows one set's values; they must be true of at least one set the parameter is in.
            $problems = foreach ($documented in $Documented) {
                $real = $Command.Parameters[$documented.name]
                if (-not $real) { continue }

                $matching = $real.ParameterSets.Values | Where-Object {
                    ([string] $_.IsMandatory).ToLowerInvariant() -eq $documented.required -and
                    (Get-PositionText $_.Position) -eq $documented.position -and
                    (Get-PipelineInputText $_) -eq $documented.pipelineInput
                }
                if (-not $matching) { "-$($real.Name): Required $($documented.required), Position $($documented.position), Accept pipeline input $($documented.pipelineInput) is true of none of its parameter sets" }
            }

            $problems | Should -BeNullOrEmpty
        }

        It 'shows the real syntax of every parameter set in its markdown' {
            $markdown = @(Get-MarkdownSyntax (Join-Path $HelpSource "$Name.md"))
            $problems = foreach ($set in $Command.ParameterSets) {
                $entry = $markdown | Where-Object ParameterSet -EQ $set.Name
                $real = "$Name $set" -replace '\s+', ' '
                if (-not $entry) { "## SYNTAX has no ""### $($set.Name)"": $real"; continue }
                if ($entry.Syntax -ne $real) { "### $($set.Name) shows`n  $($entry.Syntax)`nbut Get-Command shows`n  $real" }
                if ($Command.ParameterSets.Count -gt 1 -and $entry.IsDefault -ne $set.IsDefault) { "### $($set.Name): (Default) must mark $($Command.DefaultParameterSet) only" }
            }

            @($markdown | ForEach-Object ParameterSet | Where-Object { $_ -notin $Command.ParameterSets.Name }) | Should -BeNullOrEmpty -Because '## SYNTAX must not show a parameter set the cmdlet does not have'
            $problems | Should -BeNullOrEmpty
        }

        It 'names the types it outputs' {
            $declared = @($Command.OutputType.Name)
            $shown = @($Help.returnValues.returnValue.type.name)
            if (@($declared | Where-Object { $_ -ne 'System.Void' }).Count -eq 0) {
                $shown | Should -Be @('None') -Because 'the cmdlet outputs nothing'
            }
            else {
                @($declared | Where-Object { $_ -notin $shown }) | Should -BeNullOrEmpty -Because "## OUTPUTS must name every [OutputType] ($($declared -join ', '))"
            }
        }

        It 'names the types it takes from the pipeline' {
            $byValue = @($Parameters | Where-Object { @($_.ParameterSets.Values.ValueFromPipeline) -contains $true } | ForEach-Object { $_.ParameterType.FullName } | Sort-Object -Unique)
            $piped = @($Parameters | Where-Object { @($_.ParameterSets.Values.ValueFromPipeline) + @($_.ParameterSets.Values.ValueFromPipelineByPropertyName) -contains $true })
            $shown = @($Help.inputTypes.inputType.type.name)
            if ($piped.Count -eq 0) {
                $shown | Should -Be @('None') -Because 'no parameter takes pipeline input'
            }
            else {
                @($byValue | Where-Object { $_ -notin $shown }) | Should -BeNullOrEmpty -Because "## INPUTS must name the type of every parameter that takes pipeline input by value"
                $shown | Should -Not -Contain 'None' -Because "$(@($piped.Name) -join ', ') take pipeline input"
            }
        }

        It 'links only to cmdlets and help topics that exist' {
            foreach ($link in @($Help.relatedLinks.navigationLink | Where-Object { -not $_.uri })) {
                if ($link.linkText -like 'about_*') {
                    Get-Help -Name $link.linkText -Category HelpFile -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "the related link $($link.linkText) must be a help topic"
                }
                else {
                    Get-Command -Name $link.linkText -Module Kratix -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "the related link $($link.linkText) must be a Kratix cmdlet"
                }
            }
        }
    }
}

Describe 'Help examples' {
    BeforeAll {
        # The fixture: <root>/work is the folder examples run in (the files of tests/pester/help-examples, a platform home
        # ./platform the session is connected to, a bare repository ./state.git), <root>/remotes holds the repository
        # https://github.com/acme/platform-state.git and git@github.com:acme/platform-state.git stand for, through git's
        # url.insteadOf in a gitconfig of the fixture's own. Built once, then copied to <root>/snapshot; an example that
        # changed anything is followed by a fresh copy, restored in place so the absolute paths the platform recorded
        # stay true.
        $FixtureRoot = Join-Path $TestDrive 'help'
        $Work = Join-Path $FixtureRoot 'work'
        $Remotes = Join-Path $FixtureRoot 'remotes'
        $Snapshot = Join-Path $FixtureRoot 'snapshot'
        $ExampleEnvironment = @{
            GIT_CONFIG_GLOBAL = Join-Path $FixtureRoot 'gitconfig'
            GITHUB_TOKEN      = 'ghp_help-example-token'
            KRATIX_HOME       = Join-Path $FixtureRoot 'kratix-home'
            KRATIX_RUNTIME    = $null
        }
        $SavedEnvironment = @{}
        foreach ($variable in $ExampleEnvironment.Keys) {
            $SavedEnvironment[$variable] = [System.Environment]::GetEnvironmentVariable($variable)
        }
        $SavedLocation = Get-Location

        function Set-ExampleEnvironment {
            foreach ($entry in $ExampleEnvironment.GetEnumerator()) {
                [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value)
            }
        }

        # Copies a folder tree with .NET rather than the FileSystem provider: five times less CPU, and a copy per example.
        function Copy-Tree([string] $From, [string] $To) {
            $null = [System.IO.Directory]::CreateDirectory($To)
            foreach ($directory in [System.IO.Directory]::EnumerateDirectories($From, '*', [System.IO.SearchOption]::AllDirectories)) {
                $null = [System.IO.Directory]::CreateDirectory($To + $directory.Substring($From.Length))
            }

            foreach ($file in [System.IO.Directory]::EnumerateFiles($From, '*', [System.IO.SearchOption]::AllDirectories)) {
                [System.IO.File]::Copy($file, $To + $file.Substring($From.Length), $true)
            }
        }

        # Every file and folder of the fixture with its size and time, but the platform's lock and cache token, which
        # every Kratix command rewrites, reads included. When it is what it was after the last restore, nothing changed.
        function Get-FixtureStamp {
            $entries = foreach ($folder in $Work, $Remotes) {
                foreach ($path in [System.IO.Directory]::EnumerateFileSystemEntries($folder, '*', [System.IO.SearchOption]::AllDirectories)) {
                    if ([System.IO.Path]::GetFileName($path) -in '.token', 'platform.lock') { continue }
                    $file = [System.IO.FileInfo]::new($path)
                    "$path|$(if ($file.Exists) { $file.Length } else { 'dir' })|$($file.LastWriteTimeUtc.Ticks)"
                }
            }

            ($entries | Sort-Object) -join "`n"
        }

        # Puts the fixture back as it was built (only when an example changed it), with the session connected to it.
        function Reset-HelpExampleFixture {
            Set-Location -LiteralPath $FixtureRoot
            if ((Get-FixtureStamp) -ne $script:FixtureStamp) {
                foreach ($folder in $Work, $Remotes) {
                    [System.IO.Directory]::Delete($folder, $true)
                    Copy-Tree -From (Join-Path $Snapshot (Split-Path -Leaf $folder)) -To $folder
                }

                $script:FixtureStamp = Get-FixtureStamp
            }

            Set-ExampleEnvironment
            Set-Location -LiteralPath $Work
            Connect-KratixPlatform -Path ./platform
        }

        # Runs an example's code as a user would type it and returns the errors it wrote; a terminating error throws.
        function Invoke-HelpExample([string] $Code) {
            if ($Code -match '(?m)^\s*PS\s?[^>\n]*>') {
                throw 'The example starts with a prompt (PS C:\>); its code block holds the code alone (docs/cmdlets/README.md).'
            }

            if ($Code -match '-Confirm\b(?!:\s*\$false)') {
                throw 'The example uses -Confirm, which would wait for an answer; show -WhatIf instead, or -Confirm:$false (docs/cmdlets/README.md).'
            }

            $global:LASTEXITCODE = 0
            $ConfirmPreference = 'None'    # as if every confirmation were answered Yes
            $ErrorActionPreference = 'Continue'
            $output = @(& ([scriptblock]::Create($Code)) 2>&1)
            $null = $output | Out-String    # formatted as the console would show it, format views included
            [pscustomobject]@{
                Errors   = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
                ExitCode = $global:LASTEXITCODE
            }
        }

        $null = New-Item -ItemType Directory -Path $Remotes -Force
        Copy-Tree -From (Join-Path $PSScriptRoot 'help-examples') -To $Work
        $null = Invoke-TestGit -ArgumentList @('init', '--quiet', '--bare', '--initial-branch=main', (Join-Path $Work 'state.git'))
        $github = Join-Path $Remotes 'platform-state.git'
        $null = Invoke-TestGit -ArgumentList @('init', '--quiet', '--bare', '--initial-branch=main', $github)
        Set-Content -LiteralPath $ExampleEnvironment.GIT_CONFIG_GLOBAL -Encoding utf8NoBOM -Value @"
[url "file://$github"]
	insteadOf = https://github.com/acme/platform-state.git
	insteadOf = git@github.com:acme/platform-state.git
"@
        Set-ExampleEnvironment
        Set-Location -LiteralPath $Work
        $images = @{ 'ghcr.io/acme/redis-pipeline:v1' = @{ Path = './redis-pipeline-image'; Entrypoint = @('/usr/bin/configure.sh') } }
        Connect-KratixPlatform -Path ./platform -Runtime Host -ImageMap $images
        Register-KratixStateStore -Name default -Url ./state.git
        $null = New-Item -ItemType Directory -Path ./archive
        Register-KratixStateStore -Name archive -Directory ./archive
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' }
        Install-KratixPromise -Path ./redis-promise.yaml
        $null = New-KratixRequest -Promise redis -Name example -Spec @{ size = 'small' }
        Set-Location -LiteralPath $FixtureRoot
        Copy-Tree -From $Work -To (Join-Path $Snapshot 'work')
        Copy-Tree -From $Remotes -To (Join-Path $Snapshot 'remotes')
        $script:FixtureStamp = Get-FixtureStamp
    }

    AfterAll {
        Set-Location -LiteralPath $SavedLocation
        foreach ($entry in $SavedEnvironment.GetEnumerator()) {
            [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value)
        }
    }

    It 'starts from a platform with the Redis Promise, a reconciled request and its files in the state store' {
        Reset-HelpExampleFixture

        (Get-KratixRequest -Promise redis -Name example).State | Should -Be 'Reconciled'
        (Get-KratixDestination -Name dev).State | Should -Be 'Ready'
        Get-RemoteFile -Remote ./state.git -Path 'dev/resources/default/redis/example/render/5058f/redis.yaml' | Should -Match 'kind: Deployment'
    }

    It '<Cmdlet> example <Number>: <Title>' -ForEach $Examples {
        Reset-HelpExampleFixture

        $result = Invoke-HelpExample $Code

        $result.Errors | Should -BeNullOrEmpty -Because "the example must run without errors:`n$Code"
        $result.ExitCode | Should -Be 0 -Because "a native command of the example failed:`n$Code"
    }

    It '<Topic> example <Number>' -ForEach $AboutExamples {
        # An about topic's session starts from nothing: the example files alone, no platform and no repository yet.
        Reset-HelpExampleFixture
        $firstSession = Join-Path $FixtureRoot 'first-session'
        Remove-Item -LiteralPath $firstSession -Recurse -Force -ErrorAction SilentlyContinue
        Copy-Tree -From (Join-Path $PSScriptRoot 'help-examples') -To $firstSession
        Set-Location -LiteralPath $firstSession

        $result = Invoke-HelpExample $Code

        $result.Errors | Should -BeNullOrEmpty -Because "the example must run without errors:`n$Code"
        $result.ExitCode | Should -Be 0 -Because "a native command of the example failed:`n$Code"
    }
}
