using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// Promise versions as upstream keeps them (behaviour.md 1, 5): a PromiseRevision per <c>kratix.io/promise-version</c>,
/// named <c>&lt;promise&gt;-&lt;md5(version)[:5]&gt;</c>, and a ResourceBinding per request, named
/// <c>&lt;request&gt;-&lt;promise&gt;-&lt;md5(that)[:5]&gt;</c> and found by its labels, saying which version the request runs.
/// </summary>
public static class Versioning
{
    public const string LatestRevisionLabel = "kratix.io/latest-revision";
    public const string SkipRequestCleanupAnnotation = "kratix.io/skip-resource-request-cleanup-on-delete";
    public const string PromiseReleaseNameLabel = "kratix.io/promise-release-name";

    /// <summary>A binding's version that follows the Promise's latest revision.</summary>
    public const string Latest = "latest";

    /// <summary>What upstream calls the version of a Promise without the version label.</summary>
    public const string NotSet = "not-set";

    public const string UpgradeSucceeded = "UpgradeSucceeded";
    public const string UpgradeInProgress = "UpgradeInProgress";
    public const string UpgradeComplete = "UpgradeComplete";
    public const string UpgradeFailed = "UpgradeFailed";

    /// <summary>resourceBindingVersionStrategy: new bindings follow <c>latest</c> (floating) or name the latest version when made (pinned).</summary>
    public const string Floating = "floating";
    public const string Pinned = "pinned";

    /// <summary>upstream's GenerateDeterministicObjectName(promise, version).</summary>
    public static string RevisionName(string promise, string version) => $"{Shorten(promise)}-{GeneratedNames.Hash5(version)}";

    /// <summary>upstream's GenerateDeterministicObjectName("&lt;request&gt;-&lt;promise&gt;").</summary>
    public static string BindingName(string request, string promise)
    {
        var name = $"{request}-{promise}";
        return $"{Shorten(name)}-{GeneratedNames.Hash5(name)}";
    }

    /// <summary>The kratix.io/resource-name value of a request: its name, or a generated one past the 63-character label limit.</summary>
    public static string ResourceNameLabelValue(string request) => request.Length <= 63 ? request : $"{Shorten(request)}-{GeneratedNames.Hash5(request)}";

    /// <summary>The labels a request's binding is found by.</summary>
    public static Dictionary<string, string> BindingLabels(string request, string promise) => new(StringComparer.Ordinal)
    {
        [KratixApi.PromiseNameLabel] = promise,
        [KratixApi.ResourceNameLabel] = ResourceNameLabelValue(request),
    };

    public static JsonObject NewRevision(string promise, string version, JsonObject promiseSpec) => new()
    {
        ["apiVersion"] = KratixApi.ApiVersion,
        ["kind"] = KratixApi.PromiseRevisionKind,
        ["metadata"] = new JsonObject
        {
            ["name"] = RevisionName(promise, version),
            ["labels"] = new JsonObject { [KratixApi.PromiseNameLabel] = promise },
        },
        ["spec"] = new JsonObject
        {
            ["promiseRef"] = new JsonObject { ["name"] = promise },
            ["promiseSpec"] = promiseSpec.DeepClone(),
            ["version"] = version,
        },
    };

    public static JsonObject NewBinding(string promise, string ns, string request, string version)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in BindingLabels(request, promise))
        {
            labels[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.ResourceBindingKind,
            ["metadata"] = new JsonObject { ["name"] = BindingName(request, promise), ["namespace"] = ns, ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["version"] = version,
                ["promiseRef"] = new JsonObject { ["name"] = promise },
                ["resourceRef"] = new JsonObject { ["name"] = request, ["namespace"] = ns },
            },
        };
    }

    /// <summary>upstream's processName: at most 57 characters, ending in a letter or digit.</summary>
    private static string Shorten(string name)
    {
        if (name.Length > 57)
        {
            name = name[..56];
        }

        return name.TrimEnd(c => !char.IsAsciiLetterOrDigit(c));
    }

    private static string TrimEnd(this string text, Func<char, bool> trim)
    {
        var end = text.Length;
        while (end > 0 && trim(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }
}
