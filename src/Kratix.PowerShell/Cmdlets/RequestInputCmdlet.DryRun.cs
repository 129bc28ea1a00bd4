using Kratix.Manifests;
using Kratix.Platforms;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Dry runs of the requests collected: -WhatIf on New- and Set-KratixRequest, and Compare-KratixRequest.</summary>
public abstract partial class RequestInputCmdlet
{
    /// <summary>True when the requests collected are dry-run rather than submitted: under -WhatIf, or always (Compare-KratixRequest).</summary>
    protected virtual bool CollectsForDryRun => DryRunView.IsWhatIf(this);

    /// <summary>Keeps every request of this input record (or, at the end of the input, of the lines piped) to dry-run, asking nothing (Compare-KratixRequest).</summary>
    protected void CollectForDryRun(bool endOfInput = false)
    {
        _collected.AddRange(ReadToCollect(endOfInput));
        ReportCollected();
    }

    /// <summary>-Timeout on a cluster: how long to wait for upstream's DryRun to complete.</summary>
    protected virtual int DryRunTimeout => WaitTimeout;

    /// <summary>
    /// Dry-runs each collected request in turn; <paramref name="each"/> is given each result (or the error that stopped
    /// it is reported). A workflow that failed in the dry run is reported as an error of its own.
    /// </summary>
    protected void DryRunCollected(Action<ManifestItemResult> each)
    {
        if (_collected.Count == 0)
        {
            return;
        }

        WithPlatform(platform =>
        {
            foreach (var item in _collected)
            {
                try
                {
                    var result = Pump(() => platform.DryRunRequest(item.Node, item.Source, TimeSpan.FromSeconds(DryRunTimeout), Cancellation));
                    each(new ManifestItemResult(item.Describe(), result));
                    foreach (var failure in result.Failures)
                    {
                        Report(DryRunView.Failure(failure), item.Describe());
                    }
                }
                catch (KratixException ex)
                {
                    Report(ex, item.Describe());
                }
            }
        });
    }

    /// <summary>-WhatIf: the usual line for each request, then one line per file its dry run would add, change or remove.</summary>
    protected void WhatIfCollected(string action) => DryRunCollected(done =>
    {
        ShouldProcess(done.Target, action);
        if (done.Result.Changes.Count == 0)
        {
            ShouldProcess(DryRunView.NoChange(done.Result), DryRunView.NoChange(done.Result), action);
        }

        foreach (var change in done.Result.Changes)
        {
            var line = DryRunView.Describe(done.Result, change);
            ShouldProcess(line, line, action);
        }
    });

    /// <summary>Adds a request to those collected (Compare-KratixRequest's stored request, read from the platform).</summary>
    protected void AddCollected(ManifestItem item) => _collected.Add(item);

    /// <summary>A collected request's description and its dry run.</summary>
    protected sealed record ManifestItemResult(string Target, DryRunResult Result);
}
