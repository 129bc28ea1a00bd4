using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.PowerShell.Completion;

/// <summary>
/// What the version completers read: the PromiseRevision and ResourceBinding files of the platform home (small
/// documents, read only on Tab), never the platform itself.
/// </summary>
internal static class VersionCatalog
{
    public static IEnumerable<JsonObject> Objects(CompletionContext c, string plural)
    {
        var folder = Path.Combine(c.Catalog.Home, "objects", $"{plural}.{KratixApi.Group}");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(f => ManifestReader.Default.ReadFile(f).FirstOrDefault()?.Content as JsonObject)
            .OfType<JsonObject>();
    }

    public static IEnumerable<KubeObject> Revisions(CompletionContext c, string? promise) =>
        Objects(c, "promiserevisions").Select(n => new KubeObject(n)).Where(r => promise is null || r.Spec["promiseRef"]?["name"]?.ToString() == promise);
}

/// <summary>Completes PromiseRevision names (of the Promise given with -Promise), each with its version and whether it is the latest.</summary>
public sealed class PromiseRevisionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => VersionCatalog.Revisions(c, c.Bound("Promise"))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new Candidate(r.Name, $"Promise {r.Spec["promiseRef"]?["name"]} at version {r.Spec.GetString("version")}{(r.Status.GetBool("latest") == true ? " (latest)" : string.Empty)}")));
}

/// <summary>Completes the versions a request can be bound to: latest, then each PromiseRevision's version of the Promise given with -Promise.</summary>
public sealed class PromiseVersionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
            new[] { new Candidate(Versioning.Latest, "Follow the Promise's latest version") }.Concat(
                VersionCatalog.Revisions(c, c.Bound("Promise"))
                    .Select(r => (Version: r.Spec.GetString("version") ?? string.Empty, Promise: r.Spec["promiseRef"]?["name"]?.ToString(), Latest: r.Status.GetBool("latest") == true))
                    .Where(v => v.Version.Length > 0)
                    .DistinctBy(v => v.Version)
                    .OrderBy(v => v.Version, StringComparer.Ordinal)
                    .Select(v => new Candidate(v.Version, $"Version {v.Version} of Promise {v.Promise}{(v.Latest ? " (latest)" : string.Empty)}"))));
}

/// <summary>Completes ResourceBinding names (of the Promise given with -Promise, in the namespace given with -Namespace), each with the request and version it binds.</summary>
public sealed class ResourceBindingNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => VersionCatalog.Objects(c, "resourcebindings").Select(n => new KubeObject(n))
            .Where(b => (c.Bound("Promise") is not { } p || b.Spec["promiseRef"]?["name"]?.ToString() == p) && (c.Bound("Namespace") is not { } ns || b.Namespace == ns))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .Select(b => new Candidate(b.Name, $"{b.Namespace}/{b.Spec["resourceRef"]?["name"]} of Promise {b.Spec["promiseRef"]?["name"]}: version {b.Spec.GetString("version")}")));
}
