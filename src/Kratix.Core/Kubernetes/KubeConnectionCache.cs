using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Kratix.Kubernetes;

/// <summary>
/// One <see cref="KubeConnection"/> per cluster location for the life of the process, so that Connect-KratixPlatform and
/// every cmdlet after it share one client (its HTTP/2 connection, TLS session, exec-plugin token and the discovery of
/// Kratix's API) instead of reading the kubeconfig and connecting again each time. An entry is used only while the
/// kubeconfig files it was built from have the same content (a SHA-256 of each, with $KUBECONFIG for the default
/// files): a changed file, a new token or context, or a file that appears or goes, builds a new connection. Connections
/// from the cache are shared: disposing one does nothing.
/// </summary>
public static class KubeConnectionCache
{
    private static readonly ConcurrentDictionary<string, (string Fingerprint, KubeConnection Connection)> Entries = new(StringComparer.Ordinal);

    /// <summary>How many connections were built (not found in the cache): for tests and the benchmark.</summary>
    public static int Built => _built;

    private static int _built;

    /// <summary>The shared connection for a location, built (and checked, as <see cref="KubeConnection.Open"/>) when there is none for its kubeconfig's current content.</summary>
    public static KubeConnection Open(ClusterLocation location) => Open(location, out _);

    /// <summary>As <see cref="Open(ClusterLocation)"/>; <paramref name="reused"/> says whether it came from the cache.</summary>
    public static KubeConnection Open(ClusterLocation location, out bool reused)
    {
        var key = location.ToString();
        var fingerprint = Fingerprint(location);
        reused = Entries.TryGetValue(key, out var entry) && entry.Fingerprint == fingerprint;
        if (reused)
        {
            return entry.Connection;
        }

        var connection = KubeConnection.Open(location);
        connection.Shared = true;
        Interlocked.Increment(ref _built);

        // The replaced connection is not disposed: a cmdlet on another runspace may still be using it.
        Entries[key] = (fingerprint, connection);
        return connection;
    }

    /// <summary>Forgets every cached connection (tests; a script that wants a fresh start).</summary>
    public static void Clear() => Entries.Clear();

    private static string Fingerprint(ClusterLocation location)
    {
        if (location.InCluster)
        {
            return "in-cluster"; // the client reads the rotating token file itself
        }

        var files = location.Kubeconfig is null
            ? KubeConnection.DefaultKubeconfigFiles()
            : location.Kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parts = new List<string>();
        if (location.Kubeconfig is null)
        {
            parts.Add("KUBECONFIG=" + Environment.GetEnvironmentVariable("KUBECONFIG"));
        }

        foreach (var file in files)
        {
            try
            {
                parts.Add(file + "=" + (File.Exists(file) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) : "-"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                parts.Add(file + "=?" + Guid.NewGuid()); // unreadable: never reuse; Open reports why
            }
        }

        return string.Join("\n", parts);
    }
}
