using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell.Completion;

/// <summary>One value a completer offers: the value itself and a tooltip saying what it is.</summary>
internal readonly record struct Candidate(string Value, string ToolTip);

/// <summary>
/// What a completer is asked: the command, the word typed so far (with its opening quote, if any), and the parameters
/// already on the command line (PowerShell's fake binding, which evaluates literals and variables). Turns candidates
/// into CompletionResults: only those the word matches (a prefix, or a wildcard pattern), each once, quoted when
/// PowerShell would not read it back as the same string.
/// </summary>
internal sealed partial class CompletionContext
{
    private readonly IDictionary? _bound;
    private readonly WildcardPattern? _pattern;
    private IPlatformCatalog? _catalog;

    public CompletionContext(string? commandName, string? wordToComplete, IDictionary? fakeBoundParameters)
    {
        // Module-qualified (Kratix\Get-KratixRequest) or not, the cmdlet's own name decides.
        var command = commandName ?? string.Empty;
        Command = command[(command.LastIndexOf('\\') + 1)..];
        _bound = fakeBoundParameters;
        var word = wordToComplete ?? string.Empty;
        if (word.Length > 0 && word[0] is '\'' or '"' or '\u2018' or '\u2019' or '\u201C' or '\u201D')
        {
            Quote = word[0] is '"' or '\u201C' or '\u201D' ? '"' : '\'';
            word = word[1..];
            if (word.Length > 0 && word[^1] is '\'' or '"' or '\u2018' or '\u2019' or '\u201C' or '\u201D')
            {
                word = word[..^1];
            }
        }

        Word = word;
        if (WildcardPattern.ContainsWildcardCharacters(word))
        {
            _pattern = WildcardPattern.Get(word.EndsWith('*') ? word : word + "*", WildcardOptions.IgnoreCase);
        }
    }

    /// <summary>The cmdlet's name, e.g. Get-KratixRequest.</summary>
    public string Command { get; }

    /// <summary>The word typed so far, without its quotes.</summary>
    public string Word { get; }

    /// <summary>The quote the user opened the word with, kept in the completion; null when none.</summary>
    public char? Quote { get; }

    /// <summary>
    /// The names of the platform the command will work on: -Platform when it is on the command line, else the session's
    /// (Connect-KratixPlatform, $env:KRATIX_HOME, ~/.kratix). A home's are read from its folders; a cluster's from its API
    /// server, waiting at most <see cref="Kratix.Platforms.Cluster.ClusterCatalog.Budget"/> so the prompt never hangs.
    /// </summary>
    public IPlatformCatalog Catalog => _catalog ??= OpenCatalog();

    private IPlatformCatalog OpenCatalog()
    {
        var bound = Bound("Platform") is { Length: > 0 } platform ? platform : null;
        var location = bound ?? PlatformSession.Location ?? EmbeddedPlatformOptions.DefaultHome;
        if (!Kratix.Kubernetes.ClusterLocation.IsCluster(location))
        {
            return new PlatformCatalog(bound is not null ? ResolvePath(location) : location);
        }

        try
        {
            var parsed = Kratix.Kubernetes.ClusterLocation.Parse(location);
            if (bound is not null && parsed.Kubeconfig is not null)
            {
                parsed = parsed with { Kubeconfig = string.Join(Path.PathSeparator, parsed.Kubeconfig.Split(Path.PathSeparator).Select(ResolvePath)) };
            }

            return new Kratix.Platforms.Cluster.ClusterCatalog(parsed.ToString());
        }
        catch (KratixException)
        {
            return new PlatformCatalog(NoCatalog); // a location that does not parse: nothing to offer
        }
    }

    private static readonly string NoCatalog = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kratix-no-catalog-" + Guid.NewGuid().ToString("N"));

    /// <summary>Whether <paramref name="value"/> fits what was typed: starts with it, or matches it as a wildcard pattern.</summary>
    public bool Matches(string value) =>
        _pattern is not null ? _pattern.IsMatch(value) : value.StartsWith(Word, StringComparison.OrdinalIgnoreCase);

    /// <summary>A parameter already given on the command line, as one string; null when it is not there, is an array or is not a literal or variable.</summary>
    public string? Bound(string parameter)
    {
        if (_bound is null || !_bound.Contains(parameter))
        {
            return null;
        }

        var value = _bound[parameter] is PSObject ps ? ps.BaseObject : _bound[parameter];
        return value switch
        {
            string text => text,
            null or IEnumerable => null,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A parameter already given on the command line, as PowerShell's fake binding evaluated it.</summary>
    public object? BoundValue(string parameter) =>
        _bound is not null && _bound.Contains(parameter) ? _bound[parameter] is PSObject ps ? ps.BaseObject : _bound[parameter] : null;

    public bool IsBound(string parameter) => _bound?.Contains(parameter) == true;

    /// <summary>The candidates the word matches, each value once (the first tooltip wins), quoted where needed.</summary>
    public IEnumerable<CompletionResult> Results(IEnumerable<Candidate> candidates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (candidate.Value.Length > 0 && Matches(candidate.Value) && seen.Add(candidate.Value))
            {
                yield return new CompletionResult(QuoteIfNeeded(candidate.Value), candidate.Value, CompletionResultType.ParameterValue, candidate.ToolTip);
            }
        }
    }

    /// <summary>
    /// The value as it must be typed to reach the cmdlet unchanged: in the user's quotes if they opened one, bare when
    /// PowerShell reads it as that same string, else in single quotes. Names that start with a digit are quoted, since
    /// 1e3, 0x10 or 2kb would reach the cmdlet as numbers.
    /// </summary>
    public string QuoteIfNeeded(string value)
    {
        if (Quote == '"')
        {
            return '"' + value.Replace("`", "``", StringComparison.Ordinal).Replace("$", "`$", StringComparison.Ordinal).Replace("\"", "`\"", StringComparison.Ordinal) + '"';
        }

        return Quote is null && Bareword().IsMatch(value) ? value : SingleQuoted(value);
    }

    public static string SingleQuoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A path as the user's session resolves it: against its current location (not the process's), with PowerShell
    /// drives and ~. An absolute file-system path is taken as it is, which is the common case and costs nothing.
    /// </summary>
    internal static string ResolvePath(string path)
    {
        if (Path.IsPathFullyQualified(path))
        {
            return path;
        }

        try
        {
            // A nested pipeline on the current runspace: completion runs on its thread, where SessionStateProxy refuses to work.
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)").AddArgument(path);
            if (shell.Invoke().FirstOrDefault()?.BaseObject is string resolved)
            {
                return resolved;
            }
        }
        catch (Exception ex) when (ex is RuntimeException or PSInvalidOperationException or InvalidOperationException)
        {
            // Fall back to the process's view below.
        }

        return Path.GetFullPath(path);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex Bareword();
}
