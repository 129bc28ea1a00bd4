using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Kratix.Manifests;
using Kratix.Platforms.Embedded;
using Kratix.Presentation;

namespace Kratix.PowerShell.Completion;

// Tab completion for every parameter of the Kratix cmdlets that names something: each completer is a class that the
// parameter names with [ArgumentCompleter(typeof(...))]. They list names from the platform home's folders and file names
// (PlatformCatalog), not by opening the platform, so they stay fast on a platform with thousands of requests, take no
// lock and create nothing. They honour -Platform and the other parameters already on the command line, match the word
// typed as a prefix or a wildcard pattern, and never fail: a platform they cannot read offers nothing.

/// <summary>Runs a completer's candidates through <see cref="CompletionContext"/>; whatever goes wrong, completion offers nothing rather than failing.</summary>
internal static class Complete
{
    public static IEnumerable<CompletionResult> With(string commandName, string wordToComplete, IDictionary fakeBoundParameters, Func<CompletionContext, IEnumerable<Candidate>> candidates)
    {
        try
        {
            var context = new CompletionContext(commandName, wordToComplete, fakeBoundParameters);
            return context.Results(candidates(context)).ToList();
        }
#pragma warning disable CA1031 // Completion runs on every Tab press: nothing it meets may surface as an error.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }
}

/// <summary>Completes Promise names: the Promises installed on the platform, each with the kind of its requests.</summary>
public sealed class PromiseNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.PromiseOutlines()
            .Select(p => new Candidate(p.Name, p.RequestKind is null ? $"Promise {p.Name} (no API)" : $"Promise {p.Name}: requests of kind {p.RequestKind}")));
}

/// <summary>
/// Completes request names: the requests of the Promise already given with -Promise (or of every Promise), in the
/// namespace given with -Namespace. Where the cmdlet's -Namespace defaults to "default" (Remove-, Sync-, Set- and
/// Test-KratixRequest) only that namespace's requests are offered until -Namespace is given; Get-KratixRequest looks in
/// every namespace. New-KratixRequest names a new request, so nothing is offered there.
/// </summary>
public sealed class RequestNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
        {
            if (c.Command.Equals("New-KratixRequest", StringComparison.OrdinalIgnoreCase))
            {
                return [];
            }

            var ns = c.Bound("Namespace") ?? (c.Command.Equals("Get-KratixRequest", StringComparison.OrdinalIgnoreCase) ? null : "default");
            return c.Catalog.Requests(c.Bound("Promise"), ns)
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => new Candidate(r.Name, $"{r.Namespace}/{r.Name} (Promise {r.Kind})"));
        });
}

/// <summary>
/// Completes namespaces: for the Work and WorkPlacement cmdlets, those that hold Works or WorkPlacements; for the
/// request cmdlets, those that hold requests (of the Promise given with -Promise), and "default" when creating one.
/// </summary>
public sealed class NamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
        {
            if (c.Command.EndsWith("-KratixWork", StringComparison.OrdinalIgnoreCase))
            {
                return c.Catalog.WorkNamespaces().Select(n => new Candidate(n, $"Namespace {n} (holds Works)"));
            }

            if (c.Command.EndsWith("-KratixWorkPlacement", StringComparison.OrdinalIgnoreCase))
            {
                return c.Catalog.WorkPlacementNamespaces().Select(n => new Candidate(n, $"Namespace {n} (holds WorkPlacements)"));
            }

            var promise = c.Bound("Promise");
            var held = c.Catalog.RequestNamespaces(promise).Select(n => new Candidate(n, promise is null ? $"Namespace {n} (holds requests)" : $"Namespace {n} (holds requests of {promise})"));
            return c.Command.StartsWith("Get-", StringComparison.OrdinalIgnoreCase)
                ? held
                : held.Append(new Candidate("default", "Namespace default (the default)"));
        });
}

/// <summary>Completes Destination names: the Destinations registered on the platform.</summary>
public sealed class DestinationNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.Destinations().Select(d => new Candidate(d, $"Destination {d}")));
}

/// <summary>
/// Completes state store names, of the kind already given with -Kind or -StateStoreKind. Where that parameter defaults
/// to GitStateStore (Register-KratixDestination, Unregister-KratixStateStore), only Git stores are offered until it is given.
/// </summary>
public sealed class StateStoreNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
        {
            var kind = c.Bound("Kind") ?? c.Bound("StateStoreKind");
            if (kind is null && (c.Command.Equals("Register-KratixDestination", StringComparison.OrdinalIgnoreCase) || c.Command.Equals("Unregister-KratixStateStore", StringComparison.OrdinalIgnoreCase)))
            {
                kind = "GitStateStore";
            }

            return c.Catalog.StateStores(kind).Select(s => new Candidate(s.Name, $"{s.Kind} {s.Name}"));
        });
}

/// <summary>Completes Work names, in the namespace already given with -Namespace.</summary>
public sealed class WorkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.Works(c.Bound("Namespace")).Select(w => new Candidate(w.Name, $"Work {w.Namespace}/{w.Name}")));
}

/// <summary>Completes WorkPlacement names, in the namespace already given with -Namespace.</summary>
public sealed class WorkPlacementNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.WorkPlacements(c.Bound("Namespace")).Select(w => new Candidate(w.Name, $"WorkPlacement {w.Namespace}/{w.Name}")));
}

/// <summary>Completes HealthRecord names, in the namespace already given with -Namespace.</summary>
public sealed class HealthRecordNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c => c.Catalog.HealthRecords(c.Bound("Namespace")).Select(r => new Candidate(r.Name, $"HealthRecord {r.Namespace}/{r.Name}")));
}

/// <summary>Completes -Runtime with the runtime names, each with a tooltip saying what it does.</summary>
public sealed class RuntimeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, _ => RuntimeNames.All.Select(r => new Candidate(r.Name, r.Description)));
}

/// <summary>Completes the Wait- cmdlets' -Condition with upstream's condition types; any other type may be typed.</summary>
public sealed class ConditionCompleter : IArgumentCompleter
{
    private static readonly (string Name, string Description)[] All =
    [
        ("Available", "A Promise is ready to fulfil resource requests"),
        ("Reconciled", "The configure workflow completed and every Work succeeded"),
        ("ConfigureWorkflowCompleted", "The configure workflow's pipelines completed"),
        ("WorksSucceeded", "Every Work was scheduled and written"),
    ];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, _ => All.Select(c => new Candidate(c.Name, c.Description)));
}

/// <summary>
/// Completes Invoke-KratixPipeline's -Workflow with the workflows the -Promise already given defines (all four when it
/// is not given or does not read), each with its pipelines.
/// </summary>
public sealed class WorkflowCompleter : IArgumentCompleter
{
    private static readonly string[] All = ["resource.configure", "resource.delete", "promise.configure", "promise.delete"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
        {
            var outline = PromiseArgument.Outline(c);
            return outline is null || outline.Workflows.Count == 0
                ? All.Select(w => new Candidate(w, $"The {w} workflow"))
                : outline.Workflows.Select(w => new Candidate(w.Workflow, $"The {w.Workflow} workflow of Promise {outline.Name}: {string.Join(", ", w.Pipelines)}"));
        });
}

/// <summary>
/// Completes Invoke-KratixPipeline's -Pipeline with the pipelines of the -Promise already given: of the -Workflow given,
/// or of the workflow it defaults to (resource.configure with -Request, promise.configure without).
/// </summary>
public sealed class PipelineNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete.With(commandName, wordToComplete, fakeBoundParameters, c =>
        {
            if (PromiseArgument.Outline(c) is not { } outline)
            {
                return [];
            }

            // Get-KratixPipelineLog -Action Configure|Delete reads the last run of a request's or the Promise's workflow.
            Func<string, bool> wanted = c.IsBound("Action") || commandName.Equals("Get-KratixPipelineLog", StringComparison.OrdinalIgnoreCase)
                ? w => w.EndsWith("." + (c.Bound("Action") ?? "Configure"), StringComparison.OrdinalIgnoreCase)
                : w => string.Equals(w, c.Bound("Workflow") ?? (c.IsBound("Request") ? "resource.configure" : "promise.configure"), StringComparison.OrdinalIgnoreCase);
            return outline.Workflows.Where(w => wanted(w.Workflow))
                .SelectMany(w => w.Pipelines.Select((p, i) => new Candidate(p, $"Pipeline {i + 1} of the {w.Workflow} workflow of Promise {outline.Name}")));
        });
}

/// <summary>
/// Completes a Destination's -Label with hashtables: the labels each Promise's destinationSelectors ask for (so the
/// Destination receives that Promise), the labels of each registered Destination, and each label alone. PowerShell calls
/// completers for a whole argument only, not inside @{ } (PowerShell issue 3845), so these complete -Label itself; the
/// word typed so far matches a label's key.
/// </summary>
public sealed class DestinationLabelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        LabelCompletion.Complete(commandName, wordToComplete, fakeBoundParameters, c =>
        {
            var sets = c.Catalog.PromiseOutlines()
                .SelectMany(p => p.DestinationSelectors.Select(s => (Labels: s, Why: $"The labels Promise {p.Name}'s destinationSelectors ask for")))
                .Concat(c.Catalog.DestinationLabels().Where(d => d.Labels.Count > 0).Select(d => (d.Labels, Why: $"The labels of Destination {d.Destination}")))
                .ToList();
            return sets;
        });
}

/// <summary>
/// Completes a request's -Label with hashtables: the labels other requests (of the -Promise already given) carry,
/// whole and one at a time, leaving out the kratix.io labels Kratix sets itself. Only the <see cref="Newest"/> most
/// recently written requests are read, so the first completion stays fast on a platform with thousands. Like
/// <see cref="DestinationLabelCompleter"/>, it completes -Label itself, matching the word typed against the labels' keys.
/// </summary>
public sealed class RequestLabelCompleter : IArgumentCompleter
{
    /// <summary>How many requests' labels are offered: the most recently written.</summary>
    public const int Newest = 200;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        LabelCompletion.Complete(commandName, wordToComplete, fakeBoundParameters, c =>
            c.Catalog.RequestLabels(c.Bound("Promise"), Newest)
                .Select(r => (Labels: (IReadOnlyDictionary<string, string>)r.Labels.Where(l => !LabelCompletion.IsKratixLabel(l.Key)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
                    Why: $"The labels of request {r.Request.Namespace}/{r.Request.Name} (Promise {r.Request.Kind})"))
                .Where(r => r.Labels.Count > 0)
                .ToList());
}

/// <summary>Turns label sets into hashtable literals to complete a -Label parameter with.</summary>
internal static class LabelCompletion
{
    public static bool IsKratixLabel(string key) =>
        key.StartsWith("kratix.io/", StringComparison.Ordinal) || key.Contains(".kratix.io/", StringComparison.Ordinal);

    public static IEnumerable<CompletionResult> Complete(string commandName, string wordToComplete, IDictionary fakeBoundParameters, Func<CompletionContext, IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, string Why)>> sets)
    {
        try
        {
            // The word may be "env", "'env" or "@{ env": what matters is the key it starts.
            var word = (wordToComplete ?? string.Empty).TrimStart();
            word = word.StartsWith("@{", StringComparison.Ordinal) ? word[2..].TrimStart() : word;
            var context = new CompletionContext(commandName, word, fakeBoundParameters);
            var results = new List<CompletionResult>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var all = sets(context);
            foreach (var (labels, why) in all)
            {
                Add(labels, why);
            }

            foreach (var (labels, why) in all.Where(s => s.Labels.Count > 1))
            {
                foreach (var label in labels)
                {
                    Add(new Dictionary<string, string> { [label.Key] = label.Value }, $"The label {label.Key}={label.Value}");
                }
            }

            return results;

            void Add(IReadOnlyDictionary<string, string> labels, string why)
            {
                if (!labels.Keys.Any(context.Matches))
                {
                    return;
                }

                var text = Hashtable(labels);
                if (seen.Add(text))
                {
                    results.Add(new CompletionResult(text, text, CompletionResultType.ParameterValue, why));
                }
            }
        }
#pragma warning disable CA1031 // Completion runs on every Tab press: nothing it meets may surface as an error.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }

    /// <summary>A hashtable literal of the labels, keys sorted: <c>@{ environment = 'dev'; 'kubernetes.io/os' = 'linux' }</c>.</summary>
    public static string Hashtable(IReadOnlyDictionary<string, string> labels) =>
        "@{ " + string.Join("; ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{Key(l.Key)} = {CompletionContext.SingleQuoted(l.Value)}")) + " }";

    private static string Key(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') ? key : CompletionContext.SingleQuoted(key);
}

/// <summary>The Promise Invoke-KratixPipeline's -Promise names on the command line: a file path, a Promise object, or a manifest as a hashtable.</summary>
internal static class PromiseArgument
{
    public static PromiseOutline? Outline(CompletionContext context) => context.BoundValue("Promise") switch
    {
        // Invoke-KratixPipeline names a file; Get-KratixPipelineLog an installed Promise.
        string path when path.Length > 0 && File.Exists(CompletionContext.ResolvePath(path)) => PlatformCatalog.ReadOutline(CompletionContext.ResolvePath(path)),
        string name when name.Length > 0 => context.Catalog.Outline(name),
        KratixObject view => PlatformCatalog.ReadOutline(view.GetManifest()),
        IDictionary manifest => JsonValues.FromClr(manifest, v => v is PSObject ps ? ps.BaseObject : v) is System.Text.Json.Nodes.JsonObject node ? PlatformCatalog.ReadOutline(node) : null,
        _ => null,
    };
}
