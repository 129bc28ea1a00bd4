using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kratix.Presentation;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// Kratix.Format.ps1xml: well formed, a table view (the default) and a list view for every type name the cmdlets emit,
/// columns that name real properties. tests/pester/Views.Tests.ps1 renders them at 120 columns.
/// </summary>
public partial class FormatFileTests
{
    private static readonly Lazy<XDocument> Format = new(() => XDocument.Load(TestPaths.FormatSource));

    private static IReadOnlyList<XElement> Views => Format.Value.Descendants("View").ToList();

    public static TheoryData<string> ViewNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var view in XDocument.Load(TestPaths.FormatSource).Descendants("View"))
            {
                data.Add(view.Element("Name")!.Value);
            }

            return data;
        }
    }

    [Fact]
    public void It_is_well_formed_xml_with_a_configuration_of_views()
    {
        var document = XDocument.Load(TestPaths.FormatSource, LoadOptions.SetLineInfo);
        Assert.Equal("Configuration", document.Root!.Name.LocalName);
        Assert.NotEmpty(Views);
        var names = Views.Select(v => v.Element("Name")?.Value).ToList();
        Assert.DoesNotContain(null, names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_module_folder_holds_the_format_file_as_it_is_in_the_sources()
    {
        var laidOut = Path.Combine(TestPaths.RequireModuleFolder(), "Kratix.Format.ps1xml");
        Assert.Equal(File.ReadAllBytes(TestPaths.FormatSource), File.ReadAllBytes(laidOut));
    }

    [Fact]
    public void Every_view_is_for_a_type_name_a_cmdlet_declares_it_outputs()
    {
        var declared = CmdletMetadata.All.SelectMany(c => c.OutputTypeNames).ToHashSet(StringComparer.Ordinal);
        foreach (var view in Views)
        {
            foreach (var typeName in view.Descendants("ViewSelectedBy").Elements("TypeName").Select(t => t.Value.Trim()))
            {
                Assert.True(declared.Contains(typeName), $"View {view.Element("Name")!.Value} is for {typeName}, which no cmdlet declares in [OutputType].");
            }
        }
    }

    private static IEnumerable<string> DeclaredTypeNames() =>
        CmdletMetadata.All.SelectMany(c => c.OutputTypeNames).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    [Fact]
    public void Every_type_name_a_cmdlet_declares_has_a_default_view()
    {
        var viewed = Views.SelectMany(v => v.Descendants("ViewSelectedBy").Elements("TypeName")).Select(t => t.Value.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var cmdlet in CmdletMetadata.All)
        {
            foreach (var typeName in cmdlet.OutputTypeNames)
            {
                Assert.True(viewed.Contains(typeName), $"{cmdlet.Name} outputs {typeName}, which has no view in Kratix.Format.ps1xml.");
            }
        }
    }

    [Fact]
    public void Every_type_name_a_cmdlet_declares_has_a_default_view_a_table_and_a_list_view()
    {
        foreach (var typeName in DeclaredTypeNames())
        {
            var views = Views.Where(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value.Trim() == typeName)).ToList();
            Assert.True(views.Count > 0, $"{typeName} has no view.");
            // PowerShell shows an object with the first view defined for its type name unless a Format-* cmdlet picks one.
            // That is a table, or for what reads better drawn (a trace's tree, a container's log) a custom view named for
            // the type, with the table beside it as <type>.Table for Format-Table.
            var first = views[0];
            var custom = first.Element("CustomControl") is not null;
            Assert.True(first.Element("TableControl") is not null || (custom && first.Element("Name")!.Value == typeName),
                $"The first view of {typeName} ({first.Element("Name")!.Value}) is neither a table nor a custom view named {typeName}.");
            var table = Assert.Single(views, v => v.Element("TableControl") is not null);
            Assert.Single(views, v => v.Element("ListControl") is not null);
            var defaultName = first.Element("Name")!.Value;
            Assert.Equal(custom ? typeName + ".Table" : defaultName, table.Element("Name")!.Value);
            Assert.Equal(defaultName + ".List", views.Single(v => v.Element("ListControl") is not null).Element("Name")!.Value);
        }
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void A_list_item_has_a_label_and_one_value(string viewName)
    {
        foreach (var item in View(viewName).Descendants("ListItem"))
        {
            Assert.False(string.IsNullOrWhiteSpace(item.Element("Label")?.Value), $"View {viewName} has a list item without a label.");
            Assert.Equal(1, item.Elements("PropertyName").Count() + item.Elements("ScriptBlock").Count());
        }
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void A_table_fixes_few_widths_and_they_fit_in_120_columns(string viewName)
    {
        var headers = View(viewName).Element("TableControl")?.Element("TableHeaders")?.Elements("TableColumnHeader").ToList();
        if (headers is null)
        {
            return;
        }

        // Columns without a width are sized to their values, so identifying columns (names) are never cut; a fixed width
        // is only for values of known length (a short commit), and must hold its label.
        var fixedWidths = headers.Where(h => h.Element("Width") is not null).ToList();
        foreach (var header in fixedWidths)
        {
            var width = int.Parse(header.Element("Width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(width >= header.Element("Label")!.Value.Length, $"View {viewName}: column {header.Element("Label")!.Value} is narrower than its label.");
        }

        Assert.True(fixedWidths.Sum(h => int.Parse(h.Element("Width")!.Value, System.Globalization.CultureInfo.InvariantCulture) + 1) <= 120);
        Assert.True(headers.Count <= 8, $"View {viewName} has {headers.Count} columns; a 120-column table shows at most 8 well, the list view the rest.");
        Assert.Null(headers[0].Element("Width"));
    }

    [Fact]
    public void Identifying_and_status_columns_come_first()
    {
        // The columns a narrow console cuts or drops are the last ones: names and status must come before messages.
        foreach (var view in Views.Where(v => v.Element("TableControl") is not null))
        {
            var labels = view.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToList();
            var message = labels.FindIndex(l => l is "Message" or "Labels" or "Error" or "Problems");
            if (message < 0)
            {
                continue;
            }

            Assert.All(labels.Take(message), l => Assert.DoesNotContain(l, new[] { "Message", "Labels", "Error" }));
            foreach (var key in new[] { "Name", "Status", "Ready", "Phase", "IsValid" })
            {
                var index = labels.IndexOf(key);
                Assert.True(index < 0 || index < message, $"View {view.Element("Name")!.Value}: {key} comes after {labels[message]}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void A_table_has_as_many_headers_as_columns(string viewName)
    {
        var table = View(viewName).Element("TableControl");
        if (table is null)
        {
            return;
        }

        var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").Count() ?? 0;
        foreach (var row in table.Descendants("TableRowEntry"))
        {
            Assert.Equal(headers, row.Element("TableColumnItems")!.Elements("TableColumnItem").Count());
        }
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void Every_property_a_view_shows_exists_on_the_object_it_formats(string viewName)
    {
        var view = View(viewName);
        var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
        var properties = PropertiesOf(typeName);
        foreach (var name in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
        {
            Assert.True(properties.Contains(name), $"View {viewName} shows property {name}, which {typeName} objects do not have (they have {string.Join(", ", properties.Order())}).");
        }

        // A script block column starts from the formatted object: $_.Status.kind needs a Status property.
        foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value.Trim()))
        {
            var first = FirstMemberAccess().Match(script);
            Assert.True(first.Success, $"View {viewName}: cannot tell which property the script block {script} reads.");
            Assert.True(properties.Contains(first.Groups[1].Value), $"View {viewName}: the script block {script} reads {first.Groups[1].Value}, which {typeName} objects do not have.");
        }
    }

    [Fact]
    public void The_property_check_knows_each_kind_of_object()
    {
        Assert.Contains("VersionId", PropertiesOf("Kratix.WorkPlacement"));
        Assert.Contains("IsValid", PropertiesOf("Kratix.ValidationReport"));
        Assert.Contains("Works", PropertiesOf("Kratix.PlatformInfo"));
        Assert.Contains("Runtime", PropertiesOf("Kratix.PlatformInfo"));
        Assert.Contains("ContainerTimeout", PropertiesOf("Kratix.PlatformInfo"));
        Assert.Contains("MaxOutputBytes", PropertiesOf("Kratix.PlatformInfo"));
        Assert.Contains("ParallelWorkflows", PropertiesOf("Kratix.PlatformInfo"));
        Assert.Contains("Documents", PropertiesOf("Kratix.PipelineResult"));
        Assert.Contains("Containers", PropertiesOf("Kratix.PipelineResult"));
        Assert.DoesNotContain("Works", PropertiesOf("Kratix.PipelineResult"));
        Assert.DoesNotContain("IsValid", PropertiesOf("Kratix.Promise"));
        Assert.Contains("Write", PropertiesOf("Kratix.StateStoreTest"));
        Assert.Contains("Duration", PropertiesOf("Kratix.StateStoreTest"));
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void A_table_with_fixed_widths_fits_120_columns_with_room_for_its_last_column(string viewName)
    {
        var headers = View(viewName).Element("TableControl")?.Element("TableHeaders")?.Elements("TableColumnHeader").ToList();
        var widths = headers?.Select(h => h.Element("Width")?.Value).Where(w => w is not null).Select(w => int.Parse(w!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (widths is null || widths.Count == 0)
        {
            return;
        }

        // PowerShell puts one space between columns; the last column (no width) gets what is left.
        var used = widths.Sum() + headers!.Count - 1;
        Assert.True(used <= 120 - 15, $"View {viewName}: its fixed columns take {used} of 120 columns, leaving under 15 for the last.");
    }

    [Theory]
    [InlineData("Kratix.TraceNode")]
    [InlineData("Kratix.PipelineLog")]
    public void The_trace_and_log_objects_have_a_default_custom_view_then_a_table_and_a_list(string typeName)
    {
        var views = Views.Where(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value.Trim() == typeName)).ToList();
        Assert.Equal(["CustomControl", "TableControl", "ListControl"], views.Select(v => v.Elements().Last().Name.LocalName));
        Assert.Equal(typeName, typeof(TraceNode).Assembly.GetType(typeName)?.FullName);
    }

    /// <summary>The objects the cmdlets build from note properties, and the source file that adds them.</summary>
    private static readonly Dictionary<string, string> NotePropertySources = new(StringComparer.Ordinal)
    {
        ["Kratix.PlatformInfo"] = "PlatformInfo.cs",
        [PipelineResultObject.TypeName] = "PipelineResultObject.cs",
        [PlatformSyncResult.TypeName] = "PlatformSyncResult.cs",
        ["Kratix.CatalogueEntry"] = "Cmdlets/FindKratixPromiseCommand.cs",
    };

    private static XElement View(string name) => Views.Single(v => v.Element("Name")!.Value == name);

    /// <summary>The properties of the objects carrying a type name: KratixObject, ValidationReport, or PlatformInfo's note properties.</summary>
    private static HashSet<string> PropertiesOf(string typeName)
    {
        if (NotePropertySources.TryGetValue(typeName, out var file))
        {
            // PlatformInfo and PipelineResult are PSObjects built from note properties; they can only be read from their source.
            var source = File.ReadAllText(TestPaths.Source("src", "Kratix.PowerShell", file));
            var notes = NoteProperty().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.NotEmpty(notes);
            return notes;
        }

        var type = typeName switch
        {
            "Kratix.ValidationReport" => typeof(ValidationReport),
            Cmdlets.TestKratixStateStoreCommand.TypeName => typeof(StateStoreTestResult),
            "Kratix.TraceNode" => typeof(TraceNode),
            "Kratix.PipelineLog" => typeof(PipelineLog),
            Cmdlets.MeasureKratixPromiseCommand.ResultTypeName => typeof(Kratix.Health.PromiseProbeResult),
            Cmdlets.MeasureKratixPromiseCommand.SummaryTypeName => typeof(Kratix.Health.PromiseProbeSummary),
            DryRunView.TypeName => typeof(Kratix.Platforms.DryRunChange),
            _ => typeof(KratixObject),
        };
        Assert.True(type != typeof(KratixObject) || KratixTypeNames.ForKratixObject.Contains(typeName), $"{typeName} is not a type name the cmdlets give any object.");
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"new\s+PSNoteProperty\(\s*""(\w+)""")]
    private static partial Regex NoteProperty();

    [GeneratedRegex(@"^\(?\$_\.(\w+)")]
    private static partial Regex FirstMemberAccess();
}
