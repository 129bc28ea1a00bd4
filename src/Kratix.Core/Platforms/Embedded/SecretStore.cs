using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The platform's Secrets: <c>&lt;home&gt;/secrets/&lt;namespace&gt;/&lt;name&gt;.yaml</c>, each a Kubernetes Secret (values
/// base64-encoded in <c>data</c>, as the API server stores them), kept apart from <c>objects/</c> so that nothing that lists,
/// shows or copies platform objects ever touches them. On Unix the folders are 0700 and each file is created 0600 (a
/// temporary file with that mode renamed over the old one, so the content is never readable by others, not even for a
/// moment); on Windows they inherit the platform home's ACL. base64 is an encoding, not encryption: the protection is the
/// file permissions, the same as for <c>~/.git-credentials</c>, <c>~/.kube/config</c> or <c>~/.docker/config.json</c>.
/// </summary>
internal sealed class SecretStore(string home, TimeProvider clock)
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Root { get; } = Path.Combine(home, "secrets");

    public string PathOf(string ns, string name) => Path.Combine(Root, ns, name + ".yaml");

    /// <summary>The stored Secret, or null.</summary>
    public KubeObject? Get(string ns, string name)
    {
        var path = PathOf(ns, name);
        if (!File.Exists(path))
        {
            return null;
        }

        JsonObject? node;
        try
        {
            var documents = ManifestReader.Default.ReadFile(path);
            node = documents.Count == 1 ? documents[0].Content as JsonObject : null;
        }
        catch (KratixException)
        {
            // The parser's message could quote the file's content; a broken Secret file is reported by name only.
            node = null;
        }

        return node is not null
            ? new KubeObject(node)
            : throw new KratixException("SecretUnreadable", KratixErrorCategory.ReadError,
                $"The Secret {ns}/{name} stored in the platform home ({path}) cannot be read; register it again.", $"{ns}/{name}");
    }

    /// <summary>The decoded values of a stored Secret, or null when there is no such Secret.</summary>
    public IReadOnlyDictionary<string, byte[]>? Data(string ns, string name)
    {
        if (Get(ns, name) is not { } secret)
        {
            return null;
        }

        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret.Node["data"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                if (value is JsonValue text && text.TryGetValue<string>(out var encoded))
                {
                    try
                    {
                        data[key] = Convert.FromBase64String(encoded);
                    }
                    catch (FormatException)
                    {
                        // Admission only stores valid base64; a hand-edited file gets the key dropped rather than its value shown.
                    }
                }
            }
        }

        return data;
    }

    /// <summary>Stores an admitted Secret (see <see cref="Admission.SecretAdmission"/>), keeping its uid and bumping its resourceVersion.</summary>
    public KubeObject Put(JsonObject admitted)
    {
        var secret = new KubeObject(admitted);
        var ns = secret.Namespace!;
        var existing = Get(ns, secret.Name);
        var metadata = secret.Metadata;
        metadata["uid"] = existing?.Uid ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = existing?.Metadata.GetString("creationTimestamp") ?? Timestamps.Format(clock.GetUtcNow());
        var version = long.TryParse(existing?.Metadata.GetString("resourceVersion"), out var v) ? v : 0;
        metadata["resourceVersion"] = (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        EnsurePrivateDirectory(Root);
        EnsurePrivateDirectory(Path.Combine(Root, ns));
        AtomicFile.WriteAllBytes(PathOf(ns, secret.Name), System.Text.Encoding.UTF8.GetBytes(ManifestWriter.ToYaml(admitted)), PrivateFile);
        return secret;
    }

    public bool Delete(string ns, string name)
    {
        var path = PathOf(ns, name);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return true;
    }

    private static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }

        // An existing folder (or one created under a permissive umask) is tightened, not trusted.
        if ((File.GetUnixFileMode(path) & ~PrivateDirectory) != 0)
        {
            File.SetUnixFileMode(path, PrivateDirectory);
        }
    }
}
