using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A Git repository Kratix writes scheduled documents to.</summary>
public sealed class GitStateStore(JsonObject node) : KubeObject(node)
{
    public string Url => Spec.GetString("url") ?? string.Empty;

    public string Branch => Spec.GetString("branch") is { Length: > 0 } branch ? branch : "main";

    public string Path => Spec.GetString("path") ?? string.Empty;

    public string AuthMethod => Spec.GetString("authMethod") ?? "basicAuth";

    public string? SecretName => Spec["secretRef"]?.AsObjectOrNull()?.GetString("name");

    public string AuthorName => Spec["gitAuthor"]?.AsObjectOrNull()?.GetString("name") is { Length: > 0 } name ? name : "kratix";

    public string AuthorEmail => Spec["gitAuthor"]?.AsObjectOrNull()?.GetString("email") ?? string.Empty;

    /// <summary>Fills in the defaults upstream's CRD applies: branch main, authMethod basicAuth, gitAuthor.name kratix.</summary>
    public void ApplyDefaults()
    {
        if (Spec.GetString("branch") is null)
        {
            Spec["branch"] = "main";
        }

        if (Spec.GetString("authMethod") is null)
        {
            Spec["authMethod"] = "basicAuth";
        }

        var author = Spec.GetOrAddObject("gitAuthor");
        if (author.GetString("name") is null)
        {
            author["name"] = "kratix";
        }
    }
}
