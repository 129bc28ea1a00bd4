using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.PowerShell.Completion;

/// <summary>Completes PromiseRevision names (of the Promise given with -Promise), each with its version and whether it is the latest.</summary>
public sealed class PromiseRevisionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.PromiseRevisions(c.Bound("Promise"))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new Candidate(r.Name, $"Promise {r.Spec["promiseRef"]?["name"]} at version {r.Spec.GetString("version")}{(r.Status.GetBool("latest") == true ? " (latest)" : string.Empty)}")));
}

/// <summary>Completes the versions a request can be bound to: latest, then each PromiseRevision's version of the Promise given with -Promise.</summary>
public sealed class PromiseVersionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
            new[] { new Candidate(Versioning.Latest, "Follow the Promise's latest version") }.Concat(
                c.Catalog.PromiseRevisions(c.Bound("Promise"))
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
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.ResourceBindings(c.Bound("Promise"), c.Bound("Namespace"))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .Select(b => new Candidate(b.Name, $"{b.Namespace}/{b.Spec["resourceRef"]?["name"]} of Promise {b.Spec["promiseRef"]?["name"]}: version {b.Spec.GetString("version")}")));
}
