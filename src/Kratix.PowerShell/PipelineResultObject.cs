using System.Collections;
using System.Management.Automation;
using Kratix.Presentation;

namespace Kratix.PowerShell;

/// <summary>
/// Builds the Kratix.PipelineResult object Invoke-KratixPipeline outputs from Kratix.Core's view of one pipeline run:
/// the view's dictionaries become PSCustomObjects (as ConvertFrom-Json makes them), so `$r.Documents | Where-Object kind
/// -eq 'ConfigMap'` and `$r.Status.message` work.
/// </summary>
internal static class PipelineResultObject
{
    public const string TypeName = "Kratix.PipelineResult";

    public static PSObject From(PipelineResultView view)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, TypeName);
        var properties = result.Properties;
        properties.Add(new PSNoteProperty("Name", view.Name));
        properties.Add(new PSNoteProperty("Workflow", view.Workflow));
        properties.Add(new PSNoteProperty("Runtime", view.Runtime));
        properties.Add(new PSNoteProperty("Phase", view.Phase));
        properties.Add(new PSNoteProperty("Succeeded", view.Succeeded));
        properties.Add(new PSNoteProperty("Documents", view.Documents.Select(Document).ToArray()));
        properties.Add(new PSNoteProperty("Files", view.Files.ToArray()));
        properties.Add(new PSNoteProperty("WorkloadGroups", view.WorkloadGroups.ToArray()));
        properties.Add(new PSNoteProperty("DestinationSelectors", view.DestinationSelectors.ToArray()));
        properties.Add(new PSNoteProperty("Status", ToPSObject(view.Status)));
        properties.Add(new PSNoteProperty("StatusFile", view.StatusFile is null ? null : ToPSObject(view.StatusFile)));
        properties.Add(new PSNoteProperty("WorkflowControl", view.WorkflowControl));
        properties.Add(new PSNoteProperty("Containers", view.Containers.ToArray()));
        properties.Add(new PSNoteProperty("Duration", view.Duration));
        properties.Add(new PSNoteProperty("Error", view.Error));
        properties.Add(new PSNoteProperty("WorkspacePath", view.WorkspacePath));
        properties.Add(new PSNoteProperty("Index", view.Index));
        return result;
    }

    /// <summary>A document with its own keys as properties, plus Path (its file) and Index (its place in the file) unless it has keys of those names.</summary>
    private static PSObject Document(PipelineDocumentView document)
    {
        var value = (PSObject)ToPSObject(document.Content)!;
        AddUnlessPresent(value, "Path", document.Path);
        AddUnlessPresent(value, "Index", document.Index);
        return value;
    }

    private static void AddUnlessPresent(PSObject target, string name, object value)
    {
        if (target.Properties[name] is null)
        {
            target.Properties.Add(new PSNoteProperty(name, value));
        }
    }

    /// <summary>Dictionaries become PSCustomObjects with the same keys, lists arrays, recursively; other values stay as they are.</summary>
    internal static object? ToPSObject(object? value)
    {
        switch (value)
        {
            case IDictionary dictionary:
                var result = new PSObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    // A PowerShell property needs a name: a document's empty key (legal in YAML, unheard of in manifests) is left out.
                    if (entry.Key is string { Length: 0 })
                    {
                        continue;
                    }

                    result.Properties.Add(new PSNoteProperty(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, ToPSObject(entry.Value)));
                }

                return result;
            case object[] list:
                return list.Select(ToPSObject).ToArray();
            default:
                return value;
        }
    }
}
