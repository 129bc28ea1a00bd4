using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Platforms;

/// <summary>
/// What upstream's PromiseRelease webhook and controller check (behaviour.md 5.5): a name, <c>sourceRef.type: http</c>
/// with a URL, and a fetched Promise whose <c>kratix.io/promise-version</c> equals <c>spec.version</c> (filled in from
/// the Promise when empty).
/// </summary>
public static class PromiseReleases
{
    public const string StatusInstalled = "Installed";
    public const string StatusErrorInstalling = "Error installing";

    /// <summary>A PromiseRelease manifest for a URL (what Install-KratixPromise -Uri makes).</summary>
    public static JsonObject New(string name, Uri url, string? version, string? secretName, string? secretNamespace)
    {
        var source = new JsonObject { ["type"] = "http", ["url"] = url.ToString() };
        if (secretName is not null)
        {
            var secretRef = new JsonObject { ["name"] = secretName };
            if (secretNamespace is not null)
            {
                secretRef["namespace"] = secretNamespace;
            }

            source["secretRef"] = secretRef;
        }

        var spec = new JsonObject();
        if (!string.IsNullOrEmpty(version))
        {
            spec["version"] = version;
        }

        spec["sourceRef"] = source;
        return new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.PromiseReleaseKind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    /// <summary>The release's name from a URL's last path segment without its extension (promise.yaml's folder when it is promise.yaml).</summary>
    public static string NameFor(Uri url)
    {
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var last = segments.Length == 0 ? url.Host : Path.GetFileNameWithoutExtension(segments[^1]);
        if (last is "promise" && segments.Length > 1)
        {
            last = segments[^2];
        }

        var name = new string(last.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray()).Trim('-', '.');
        return name.Length == 0 ? "promise-release" : name.Length > 253 ? name[..253] : name;
    }

    /// <summary>Checks the release's own fields; returns its URL.</summary>
    public static Uri Validate(KubeObject release)
    {
        if (release.Kind != KratixApi.PromiseReleaseKind)
        {
            throw Invalid(release, $"expected kind PromiseRelease, not \"{release.Kind}\".");
        }

        if (release.Name.Length == 0)
        {
            throw Invalid(release, "metadata.name: Required value.");
        }

        var source = release.Spec["sourceRef"] as JsonObject ?? throw Invalid(release, "spec.sourceRef: Required value.");
        if (source.GetString("type") != "http")
        {
            throw Invalid(release, $"spec.sourceRef.type: Unsupported value: \"{source.GetString("type")}\": supported values: \"http\".");
        }

        if (source.GetString("url") is not { Length: > 0 } text)
        {
            throw Invalid(release, "sourceRef.url must be set");
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw Invalid(release, $"spec.sourceRef.url \"{StateStores.SecretRedactor.Redact(text)}\" is not an http or https URL.");
    }

    /// <summary>The Secret the release's sourceRef names (namespace "default" when it names none: a PromiseRelease has no namespace of its own).</summary>
    public static (string Namespace, string Name)? SecretOf(KubeObject release) =>
        release.Spec["sourceRef"]?["secretRef"] is JsonObject secretRef && secretRef.GetString("name") is { Length: > 0 } name
            ? (secretRef.GetString("namespace") is { Length: > 0 } ns ? ns : "default", name)
            : null;

    /// <summary>
    /// Refuses a fetched Promise without the version label or with another version than <c>spec.version</c>; fills in an
    /// empty <c>spec.version</c> from it, as upstream's controller does. Returns the version.
    /// </summary>
    public static string CheckVersion(KubeObject release, Promise promise)
    {
        if (promise.GetLabel(KratixApi.PromiseVersionLabel) is not { } found)
        {
            throw new KratixException("PromiseReleaseVersionLabelNotFound", KratixErrorCategory.InvalidData,
                $"PromiseRelease \"{release.Name}\": version label ({KratixApi.PromiseVersionLabel}) not found on promise \"{promise.Name}\"; refusing to install.", release.Name);
        }

        if (release.Spec.GetString("version") is not { Length: > 0 } expected)
        {
            release.Spec["version"] = found;
            return found;
        }

        return found == expected
            ? found
            : throw new KratixException("PromiseReleaseVersionMismatch", KratixErrorCategory.InvalidData,
                $"PromiseRelease \"{release.Name}\": Version labels do not match, found: {found}, expected: {expected}; refusing to install. Set -Version (spec.version) to {found}, or point the release at the {expected} Promise.", release.Name);
    }

    private static KratixException Invalid(KubeObject release, string message) =>
        new("PromiseReleaseInvalid", KratixErrorCategory.InvalidArgument, $"PromiseRelease \"{release.Name}\": {message}", release.Name);
}
