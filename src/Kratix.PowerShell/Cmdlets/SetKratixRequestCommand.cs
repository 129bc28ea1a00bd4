using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Replaces existing requests (or creates them), re-validating them; a spec change re-runs their workflow. Like
/// New-KratixRequest, everything the command receives is submitted together when its input ends.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class SetKratixRequestCommand : RequestInputCmdlet
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

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Collect("Update request");

    protected override void EndProcessing()
    {
        Collect("Update request", endOfInput: true);
        if (CollectsForDryRun)
        {
            WhatIfCollected("Update request");
        }
        else
        {
            SubmitCollected(allowUpdate: true, writeResult: PassThru);
        }

        base.EndProcessing();
    }
}
