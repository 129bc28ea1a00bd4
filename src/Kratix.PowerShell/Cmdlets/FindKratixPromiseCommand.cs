using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Searches a catalogue of Promises (a folder, or an index file in a folder or at a URL) by name, tag and text; each
/// result's Path is a local file (a URL's Promise is downloaded), so results pipe into Install-KratixPromise.
/// </summary>
[Cmdlet(VerbsCommon.Find, "KratixPromise")]
[OutputType("Kratix.CatalogueEntry")]
public sealed class FindKratixPromiseCommand : AuthoringCmdlet
{
    public const string CatalogueVariable = "KRATIX_CATALOGUE";

    /// <summary>Promise names to find (wildcards); every Promise when not given.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Name { get; set; } = ["*"];

    /// <summary>Tags every result must have.</summary>
    [Parameter]
    public string[] Tag { get; set; } = [];

    /// <summary>Text the name, description or a tag must contain (any case).</summary>
    [Parameter]
    public string? Text { get; set; }

    /// <summary>The catalogue: a folder, an index file, or the http(s) URL of an index; $env:KRATIX_CATALOGUE when not given.</summary>
    [Parameter]
    public string? Catalogue { get; set; }

    protected override void ProcessRecord()
    {
        var location = Catalogue ?? Environment.GetEnvironmentVariable(CatalogueVariable);
        if (string.IsNullOrEmpty(location))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"Give -Catalogue (a folder, an index file or its URL), or set $env:{CatalogueVariable}."),
                "CatalogueNotGiven", ErrorCategory.InvalidArgument, null));
            return;
        }

        var resolved = Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? location : Resolve(location);
        var patterns = Name.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        Run(resolved, () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var entries = PromiseCatalogue.Read(resolved, http, Cancellation);
            var cache = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kratix-catalogue");
            foreach (var entry in PromiseCatalogue.Search(entries, n => patterns.Any(p => p.IsMatch(n)), Tag, Text))
            {
                var fetched = PromiseCatalogue.Fetch(entry, cache, http, Cancellation);
                var result = new PSObject();
                result.TypeNames.Insert(0, "Kratix.CatalogueEntry");
                result.Properties.Add(new PSNoteProperty("Name", fetched.Name));
                result.Properties.Add(new PSNoteProperty("Version", fetched.Version));
                result.Properties.Add(new PSNoteProperty("Description", fetched.Description));
                result.Properties.Add(new PSNoteProperty("Tags", fetched.Tags.ToArray()));
                result.Properties.Add(new PSNoteProperty("Path", fetched.Path));
                result.Properties.Add(new PSNoteProperty("Location", fetched.Location));
                result.Properties.Add(new PSNoteProperty("Catalogue", fetched.Catalogue));
                WriteObject(result);
            }
        });
    }
}
