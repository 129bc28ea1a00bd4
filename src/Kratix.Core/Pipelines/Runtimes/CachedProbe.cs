namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// A runtime's probe, run once per runtime instance however many callers ask at once: probing starts processes
/// (<c>podman info</c>, a bwrap sandbox), and the answer does not change while the runtime is in use.
/// </summary>
internal sealed class CachedProbe(Func<CancellationToken, Task<string?>> probe)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _result;
    private bool _done;

    /// <summary>Null when the runtime can run here; otherwise why not.</summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                _result = await probe(cancellationToken).ConfigureAwait(false);
                _done = true;
            }

            return _result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
