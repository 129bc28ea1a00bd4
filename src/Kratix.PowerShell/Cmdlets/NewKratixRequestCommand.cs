using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Submits resource requests, validated and defaulted against their Promise's API as the API server would. Everything
/// the command receives (every file of -Path, every object piped in) is submitted together when its input ends: the
/// requests' workflows run side by side and their files are written in one commit per state store.
/// </summary>
[Cmdlet(VerbsCommon.New, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class NewKratixRequestCommand : RequestInputCmdlet
{
    /// <summary>Waits until each request is Reconciled (on a cluster, upstream's controllers work after the command returns; the embedded platform answers at once).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait for each, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    /// <summary>On a cluster, takes ownership of fields another field manager set (server-side apply with force) instead of stopping at the conflict.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool TakeOwnership => Force;

    protected override bool WaitForReconciled => Wait;

    protected override int WaitTimeout => Timeout;

    protected override void ProcessRecord() => Collect("Submit request");

    protected override void EndProcessing()
    {
        Collect("Submit request", endOfInput: true);
        if (CollectsForDryRun)
        {
            WhatIfCollected("Submit request");
        }
        else
        {
            SubmitCollected(allowUpdate: false, writeResult: true);
        }

        base.EndProcessing();
    }
}
