using System.Net;
using System.Text.Json.Nodes;

namespace Kratix.Kubernetes;

/// <summary>
/// Waits for one object to reach a state, as <c>kubectl wait</c> does: list it by name (which gives a resourceVersion),
/// then watch from there with bookmarks. A watch the server ends is resumed from the last resourceVersion seen (an
/// event's or a bookmark's); a dropped connection is reconnected after a short pause; a 410 Gone (history compacted)
/// lists again. Each state seen goes to <c>changed</c>. Returns the last state and whether the wait was satisfied;
/// never throws on timeout.
/// </summary>
public sealed class ObjectWaiter(KubeApi api)
{
    /// <summary>How long one watch call may last before the server ends it and it is resumed.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The pause before reconnecting a dropped watch.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many times the watch was reconnected or resumed, and lists repeated after a 410 (for tests and messages).</summary>
    public int Reconnects { get; private set; }

    public int Relists { get; private set; }

    public async Task<(JsonObject? Object, bool Satisfied)> WaitAsync(ApiResource type, string? ns, string name, Func<JsonObject?, bool> done, TimeSpan timeout, Action<JsonObject?>? changed, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var token = timer.Token;
        var selector = "metadata.name=" + name;
        JsonObject? current = null;
        try
        {
            while (true)
            {
                var list = await api.ListAsync(type, ns, fieldSelector: selector, cancellationToken: token).ConfigureAwait(false);
                current = (list?["items"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?.DeepClone() as JsonObject;
                changed?.Invoke(current);
                if (done(current))
                {
                    return (current, true);
                }

                var resourceVersion = list?["metadata"]?["resourceVersion"]?.GetValue<string>();
                var satisfied = false;
                while (true)
                {
                    try
                    {
                        await api.WatchAsync(type, ns, selector, resourceVersion, WatchTimeout, e =>
                        {
                            resourceVersion = e.ResourceVersion ?? resourceVersion;
                            switch (e.Type)
                            {
                                case "ADDED":
                                case "MODIFIED":
                                    current = e.Object;
                                    break;
                                case "DELETED":
                                    current = null;
                                    break;
                                default:
                                    return true;
                            }

                            changed?.Invoke(current);
                            satisfied = done(current);
                            return !satisfied;
                        }, token).ConfigureAwait(false);
                        if (satisfied)
                        {
                            return (current, true);
                        }

                        // The server ended the watch (its timeout): resume where it stopped.
                        Reconnects++;
                    }
                    catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.Gone)
                    {
                        Relists++;
                        break;
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException or KratixException { Category: KratixErrorCategory.ConnectionError } && !token.IsCancellationRequested)
                    {
                        Reconnects++;
                        await Task.Delay(ReconnectDelay, token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (current, false);
        }
    }
}
