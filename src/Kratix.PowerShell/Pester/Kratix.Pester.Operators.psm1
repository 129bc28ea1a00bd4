#Requires -Version 7.4
<#
    The Kratix Should operators' implementations. Kratix.Pester.psm1 imports this module only when it registers the
    operators with Pester, so importing Kratix without Pester never parses it (it is most of the Pester support's import
    cost). Each Should-* function is the -Test script block of one operator; the helpers are private to this module.
#>

Set-StrictMode -Version Latest

#region Helpers

function Get-KratixProperty {
    # A property of an object or a key of a dictionary (case-insensitive), or $null.
    param($Object, [string] $Name)
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        foreach ($key in $Object.Keys) { if ([string]$key -eq $Name) { return $Object[$key] } }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($property) { $property.Value } else { $null }
}

function Get-KratixTypeName {
    # The Kratix type name an object carries (Kratix.PipelineResult, Kratix.TraceNode, Kratix.ResourceRequest, ...).
    param($Object)
    if ($null -eq $Object) { return $null }
    $Object.PSObject.TypeNames | Where-Object { $_ -like 'Kratix.*' } | Select-Object -First 1
}

function Format-KratixBecause {
    param([string] $Because)
    if ($Because) { " because $($Because.Trim().TrimEnd('.'))," } else { '' }
}

function Get-KratixDescription {
    # How a failure message names the object under test.
    param($Object)
    $type = Get-KratixTypeName $Object
    switch -Wildcard ($type) {
        'Kratix.PipelineResult' { return "pipeline '$($Object.Name)' ($($Object.Workflow))" }
        'Kratix.TraceNode' { return "the trace of $($Object.Kind) $(if ($Object.Namespace) { "$($Object.Namespace)/" })$($Object.Name)" }
        'Kratix.Promise' { return "Promise '$($Object.Name)'" }
        'Kratix.WorkPlacement' { return "WorkPlacement '$($Object.Name)'" }
        'Kratix.Work' { return "Work '$($Object.Name)'" }
        'Kratix.ResourceRequest' { return "$($Object.Kind) '$($Object.Namespace)/$($Object.Name)'" }
    }
    if ($null -eq $Object) { return '$null' }
    "$Object"
}

function New-KratixShouldResult {
    param([bool] $Succeeded, [string] $FailureMessage)
    [pscustomobject]@{ Succeeded = $Succeeded; FailureMessage = $FailureMessage }
}

function Get-KratixPlatformParameter {
    param($Platform)
    if ($Platform) { @{ Platform = [string]$Platform } } else { @{} }
}

#endregion

#region Operators

function Should-HaveKratixDocument($ActualValue, $Kind, $Name, $Namespace, $ApiVersion, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
        Asserts that pipeline output holds a document of a kind (and name, namespace, apiVersion).
    .DESCRIPTION
        Takes what Invoke-KratixPipeline outputs (every pipeline's Documents are searched), Works and WorkPlacements
        from the platform (the documents their workloads carry), or documents themselves (objects with kind and
        metadata, such as $result.Documents). -Name, -Namespace and -ApiVersion take wildcards.
    .EXAMPLE
        Invoke-KratixPipeline -Promise ./promise.yaml -Request ./request.yaml | Should -HaveKratixDocument -Kind Deployment -Name shop
    .EXAMPLE
        $result | Should -Not -HaveKratixDocument -Kind Service
    #>
    if (-not $Kind) {
        throw 'Should -HaveKratixDocument needs -Kind (and optionally -Name, -Namespace, -ApiVersion).'
    }

    $documents = foreach ($item in @($ActualValue)) {
        if ($null -eq $item) { continue }
        $type = Get-KratixTypeName $item
        if ($type -eq 'Kratix.PipelineResult') {
            foreach ($document in @($item.Documents)) {
                [pscustomobject]@{ Document = $document; Source = $item.Name }
            }
        }
        elseif ($type -in 'Kratix.Work', 'Kratix.WorkPlacement') {
            foreach ($document in @($item.Documents())) {
                [pscustomobject]@{ Document = $document; Source = "$($type.Substring(7)) $($item.Name)" }
            }
        }
        elseif (Get-KratixProperty $item 'kind') {
            [pscustomobject]@{ Document = $item; Source = $null }
        }
    }

    $documents = @($documents)
    $matching = @($documents | Where-Object {
            $document = $_.Document
            $metadata = Get-KratixProperty $document 'metadata'
            (Get-KratixProperty $document 'kind') -eq $Kind -and
            (-not $Name -or (Get-KratixProperty $metadata 'name') -like $Name) -and
            (-not $Namespace -or (Get-KratixProperty $metadata 'namespace') -like $Namespace) -and
            (-not $ApiVersion -or (Get-KratixProperty $document 'apiVersion') -like $ApiVersion)
        })

    $wanted = "a $Kind" + $(if ($Name) { " named '$Name'" }) + $(if ($Namespace) { " in namespace '$Namespace'" }) + $(if ($ApiVersion) { " of apiVersion '$ApiVersion'" })
    $found = if ($documents.Count -eq 0) { 'no documents' } else {
        ($documents | ForEach-Object {
                $document = $_.Document
                $metadata = Get-KratixProperty $document 'metadata'
                $ns = Get-KratixProperty $metadata 'namespace'
                "$(Get-KratixProperty $document 'kind')/$(if ($ns) { "$ns/" })$(Get-KratixProperty $metadata 'name')" + $(if ($_.Source) { " ($($_.Source))" })
            }) -join ', '
    }

    $succeeded = $matching.Count -gt 0
    if ($Negate) { $succeeded = -not $succeeded }
    if ($succeeded) { return New-KratixShouldResult $true $null }

    $message = if ($Negate) {
        $where = ($matching | ForEach-Object { $(if ($_.Source -like '* *') { "in $($_.Source)" } elseif ($_.Source) { "in pipeline '$($_.Source)'" } else { 'among the documents' }) } | Select-Object -Unique) -join ', '
        "Expected no document that is $wanted,$(Format-KratixBecause $Because) but found $($matching.Count) $where."
    }
    else {
        "Expected the output to hold $wanted,$(Format-KratixBecause $Because) but found $found."
    }

    New-KratixShouldResult $false $message
}

function Get-KratixMergedSelector {
    # A workload group's selectors merged as Kratix merges them: promise over promise-workflow over resource-workflow,
    # and within one source the first to name a key wins.
    param($Group)
    $rank = @{ 'promise' = 0; 'promise-workflow' = 1; 'resource-workflow' = 2 }
    $merged = [ordered]@{}
    $selectors = @($Group.DestinationSelectors | Sort-Object -Stable { if ($rank.ContainsKey([string]$_.Source)) { $rank[[string]$_.Source] } else { 3 } })
    foreach ($selector in $selectors) {
        foreach ($entry in $selector.MatchLabels.GetEnumerator()) {
            if (-not $merged.Contains([string]$entry.Key)) { $merged[[string]$entry.Key] = [string]$entry.Value }
        }
    }
    $merged
}

function Format-KratixLabels {
    param($Labels)
    if (-not $Labels -or $Labels.Count -eq 0) { return 'no labels' }
    ($Labels.GetEnumerator() | Sort-Object { [string]$_.Key } | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ','
}

function Should-BeScheduledTo($ActualValue, $Destination, $Platform, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
        Asserts where work goes: that a request (or a trace, or a WorkPlacement) landed on a Destination, or that
        pipeline output would be scheduled to it.
    .DESCRIPTION
        For a request or Promise from the platform, the Destinations its WorkPlacements are on (Trace-KratixRequest /
        Trace-KratixPromise; -Platform names the platform home when it is not the connected one). For a trace, the
        Destinations in it. For a WorkPlacement, its Destination. For Invoke-KratixPipeline output, whether every
        workload group's selectors match the Destination's labels: -Destination is then a Destination object
        (Get-KratixDestination), a hashtable of labels, or a Destination's name (read from the platform).
    .EXAMPLE
        New-KratixRequest -Promise app -Name web -Spec @{ image = 'nginx' } | Should -BeScheduledTo -Destination dev
    .EXAMPLE
        $result | Should -BeScheduledTo -Destination @{ environment = 'dev' }
    #>
    if ($null -eq $Destination) {
        throw 'Should -BeScheduledTo needs -Destination: a Destination name, a Destination object, or (for pipeline output) a hashtable of labels.'
    }

    $items = @($ActualValue | Where-Object { $null -ne $_ })
    if ($items.Count -eq 0) {
        return New-KratixShouldResult ([bool]$Negate) "Expected something to be scheduled to a Destination,$(Format-KratixBecause $Because) but got `$null."
    }

    $platformParameter = Get-KratixPlatformParameter $Platform
    if ((Get-KratixTypeName $items[0]) -eq 'Kratix.PipelineResult') {
        # Where the output would go: every workload group's merged selector must match the Destination's labels.
        $labels = $null
        $what = $null
        if ($Destination -is [System.Collections.IDictionary]) {
            $labels = $Destination
            $what = "a Destination labelled $(Format-KratixLabels $Destination)"
        }
        else {
            $object = if ($Destination -is [string]) { Kratix\Get-KratixDestination -Name $Destination @platformParameter -ErrorAction Stop } else { $Destination }
            $labels = $object.Labels
            $what = "Destination '$($object.Name)' ($(Format-KratixLabels $object.Labels))"
        }

        $groups = @($items | ForEach-Object { $_.WorkloadGroups })
        $misses = foreach ($group in $groups) {
            $selector = Get-KratixMergedSelector $group
            $ok = $true
            foreach ($key in $selector.Keys) {
                if (-not $labels.Contains($key) -or [string]$labels[$key] -ne $selector[$key]) { $ok = $false }
            }
            if (-not $ok) { "group '$($group.Directory)' needs $(Format-KratixLabels $selector)" }
        }

        $misses = @($misses)
        $succeeded = $groups.Count -gt 0 -and $misses.Count -eq 0
        if ($Negate) { $succeeded = -not $succeeded }
        if ($succeeded) { return New-KratixShouldResult $true $null }
        $message = if ($Negate) {
            "Expected the output not to be scheduled to $what,$(Format-KratixBecause $Because) but every workload group's selectors match it."
        }
        elseif ($groups.Count -eq 0) {
            "Expected the output to be scheduled to $what,$(Format-KratixBecause $Because) but it has no workload groups (no output files)."
        }
        else {
            "Expected the output to be scheduled to $what,$(Format-KratixBecause $Because) but $($misses -join '; ')."
        }
        return New-KratixShouldResult $false $message
    }

    $name = if ($Destination -is [string]) { $Destination } else { [string](Get-KratixProperty $Destination 'Name') }
    foreach ($item in $items) {
        $type = Get-KratixTypeName $item
        $landed = switch ($type) {
            'Kratix.WorkPlacement' { @($item.Destination) }
            'Kratix.TraceNode' { @($item.Find('Destination') | Where-Object Status -NE 'Missing' | ForEach-Object Name) }
            'Kratix.Promise' { @((Kratix\Trace-KratixPromise -Name $item.Name @platformParameter -ErrorAction Stop).Find('Destination') | ForEach-Object Name) }
            'Kratix.ResourceRequest' { @((Kratix\Trace-KratixRequest -Promise $item.Promise -Namespace $item.Namespace -Name $item.Name @platformParameter -ErrorAction Stop).Find('Destination') | ForEach-Object Name) }
            default { throw "Should -BeScheduledTo takes requests, Promises, traces, WorkPlacements or Invoke-KratixPipeline output, not $(if ($type) { $type } else { $item.GetType().FullName })." }
        }

        $landed = @($landed | Select-Object -Unique)
        $succeeded = $landed -contains $name
        if ($Negate) { $succeeded = -not $succeeded }
        if (-not $succeeded) {
            $on = if ($landed.Count -eq 0) { 'it is on no Destination' } else { "it is on $(($landed | ForEach-Object { "'$_'" }) -join ', ')" }
            $message = if ($Negate) {
                "Expected $(Get-KratixDescription $item) not to be scheduled to Destination '$name',$(Format-KratixBecause $Because) but it is."
            }
            else {
                "Expected $(Get-KratixDescription $item) to be scheduled to Destination '$name',$(Format-KratixBecause $Because) but $on."
            }
            return New-KratixShouldResult $false $message
        }
    }

    New-KratixShouldResult $true $null
}

function Should-HaveKratixStatus($ActualValue, $Field, $Value, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
        Asserts that a status has a field (a dotted path such as url or database.host), and with -Value what it holds.
    .DESCRIPTION
        Takes Invoke-KratixPipeline output (the status after the last pipeline given, status.yaml merged in) or a
        request or Promise from the platform (its status). Values are compared as PowerShell's -eq compares them, the
        expected value on the left.
    .EXAMPLE
        $result | Should -HaveKratixStatus -Field url -Value 'http://shop.team-a.svc'
    .EXAMPLE
        Get-KratixRequest -Promise app -Name web | Should -HaveKratixStatus -Field url
    #>
    if (-not $Field) {
        throw 'Should -HaveKratixStatus needs -Field: a status field, or a dotted path such as database.host.'
    }

    $items = @($ActualValue | Where-Object { $null -ne $_ })
    if ($items.Count -eq 0) {
        return New-KratixShouldResult ([bool]$Negate) "Expected a status with $Field,$(Format-KratixBecause $Because) but got `$null."
    }

    $item = $items[-1]
    $what = Get-KratixDescription $item
    $current = Get-KratixProperty $item 'Status'
    $present = $true
    $missing = $null
    $walked = 'status'
    foreach ($part in $Field -split '\.') {
        $keys = if ($current -is [System.Collections.IDictionary]) { @($current.Keys | ForEach-Object { [string]$_ }) }
        elseif ($null -ne $current -and $current -isnot [string] -and $current -isnot [ValueType] -and $current -isnot [array]) { @($current.PSObject.Properties.Name) }
        else { @() }
        if ($keys -notcontains $part) {
            $present = $false
            $missing = if ($keys.Count) { "$walked has no $part; it has $($keys -join ', ')" } else { "$walked has no $part" }
            break
        }

        $current = Get-KratixProperty $current $part
        $walked = "$walked.$part"
    }

    $checkValue = $PSBoundParameters.ContainsKey('Value')
    $succeeded = $present -and (-not $checkValue -or $Value -eq $current)
    if ($Negate) { $succeeded = -not $succeeded }
    if ($succeeded) { return New-KratixShouldResult $true $null }

    $shown = if ($null -eq $current) { '$null' } elseif ($current -is [string]) { "'$current'" } else { "$current" }
    $message = if ($Negate -and $checkValue) {
        "Expected status.$Field of $what not to be '$Value',$(Format-KratixBecause $Because) but it is."
    }
    elseif ($Negate) {
        "Expected $what to have no status.$Field,$(Format-KratixBecause $Because) but it is $shown."
    }
    elseif (-not $present) {
        "Expected $what to have status.$Field$(if ($checkValue) { " = '$Value'" }),$(Format-KratixBecause $Because) but $missing."
    }
    else {
        "Expected status.$Field of $what to be '$Value',$(Format-KratixBecause $Because) but it was $shown."
    }

    New-KratixShouldResult $false $message
}

function Should-BeKratixReconciled($ActualValue, $Platform, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
        Asserts that a request or Promise is reconciled: its Reconciled condition is True (a trace: its root is Ready).
    .DESCRIPTION
        Reads the object as it was output (New-KratixRequest, Get-KratixRequest, Get-KratixPromise, Trace-KratixRequest).
        When it is not reconciled, the failure message says its state and reason and, for a request or Promise, what
        Trace-KratixRequest or Trace-KratixPromise finds keeps it from being ready (-Platform names the platform home
        when it is not the connected one).
    .EXAMPLE
        New-KratixRequest -Promise app -Name web -Spec @{ image = 'nginx' } | Should -BeKratixReconciled
    #>
    $items = @($ActualValue | Where-Object { $null -ne $_ })
    if ($items.Count -eq 0) {
        return New-KratixShouldResult ([bool]$Negate) "Expected a reconciled request or Promise,$(Format-KratixBecause $Because) but got `$null."
    }

    $platformParameter = Get-KratixPlatformParameter $Platform
    foreach ($item in $items) {
        $type = Get-KratixTypeName $item
        $why = $null
        switch ($type) {
            'Kratix.TraceNode' {
                $reconciled = [bool]$item.Ready
                $state = $item.Status
                $why = $(if ($item.Reason) { "$($item.Reason): " })+$item.Message
            }
            { $_ -in 'Kratix.ResourceRequest', 'Kratix.Promise' } {
                $condition = $item.Conditions | Where-Object Type -EQ 'Reconciled' | Select-Object -First 1
                $available = $item.Conditions | Where-Object Type -EQ 'Available' | Select-Object -First 1
                $reconciled = if ($condition) { $condition.Status -eq 'True' } elseif ($type -eq 'Kratix.Promise') { $available -and $available.Status -eq 'True' } else { $false }
                $state = $item.State
                if (-not $reconciled -and -not $Negate) {
                    $why = if ($condition) { "$($condition.Reason): $($condition.Message)" } else { 'it has no Reconciled condition' }
                    try {
                        $trace = if ($type -eq 'Kratix.Promise') {
                            Kratix\Trace-KratixPromise -Name $item.Name @platformParameter -ErrorAction Stop
                        }
                        else {
                            Kratix\Trace-KratixRequest -Promise $item.Promise -Namespace $item.Namespace -Name $item.Name @platformParameter -ErrorAction Stop
                        }
                        if ($trace.Message) { $why = "$why; the trace finds: $($trace.Message)" }
                    }
                    catch {
                        $why = "$why (no trace: $($_.Exception.Message))"
                    }
                }
            }
            default {
                throw "Should -BeKratixReconciled takes requests, Promises or traces, not $(if ($type) { $type } else { $item.GetType().FullName })."
            }
        }

        $succeeded = $reconciled
        if ($Negate) { $succeeded = -not $succeeded }
        if (-not $succeeded) {
            $message = if ($Negate) {
                "Expected $(Get-KratixDescription $item) not to be reconciled,$(Format-KratixBecause $Because) but it is."
            }
            else {
                "Expected $(Get-KratixDescription $item) to be reconciled,$(Format-KratixBecause $Because) but it is $state$(if ($why) { " ($why)" })."
            }
            return New-KratixShouldResult $false $message
        }
    }

    New-KratixShouldResult $true $null
}

#endregion

Export-ModuleMember -Function 'Should-HaveKratixDocument', 'Should-BeScheduledTo', 'Should-HaveKratixStatus', 'Should-BeKratixReconciled'
