using System.Collections.Concurrent;

namespace Kratix.ApiServerDouble;

/// <summary>
/// What <c>pods/{name}/log</c> returns: nothing runs containers here, so a test (playing the kubelet) sets each
/// container's log text.
/// </summary>
public sealed class PodLogs
{
    private readonly ConcurrentDictionary<(string Namespace, string Pod, string Container), string> logs = new();

    /// <summary>Sets the log of <paramref name="container"/> in pod <paramref name="ns"/>/<paramref name="pod"/>.</summary>
    public void Set(string ns, string pod, string container, string text) => logs[(ns, pod, container)] = text;

    /// <summary>Appends to a container's log.</summary>
    public void Append(string ns, string pod, string container, string text) =>
        logs.AddOrUpdate((ns, pod, container), text, (_, old) => old + text);

    internal string? Get(string ns, string pod, string container) => logs.TryGetValue((ns, pod, container), out var t) ? t : null;
}
