using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>
/// Server-side printing: the <c>meta.k8s.io/v1 Table</c> that <c>kubectl get</c> asks for (Accept:
/// <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>): a Name column, the type's columns (a CRD's
/// additionalPrinterColumns, with simple JSONPaths), and rows carrying the object's metadata.
/// </summary>
internal static class Tables
{
    public static bool Wanted(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal));

    public static JsonObject Table(ResourceType type, string version, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, string? includeObject)
    {
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            meta["continue"] = continueToken;
        }

        var rows = new JsonArray();
        foreach (var o in objects)
        {
            rows.Add(Row(type, version, o, includeObject));
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
            ["columnDefinitions"] = ColumnDefinitions(type, version),
            ["rows"] = rows,
        };
    }

    /// <summary>A one-row Table, the form of each object in a watch that asked for tables.</summary>
    public static JsonObject SingleRowTable(ResourceType type, string version, JsonObject obj, string? includeObject) =>
        Table(type, version, [obj], Json.Str(obj["metadata"]?["resourceVersion"]) ?? string.Empty, null, includeObject);

    private static JsonArray ColumnDefinitions(ResourceType type, string version)
    {
        var defs = new JsonArray
        {
            new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name must be unique within a namespace.", ["priority"] = 0 },
        };
        foreach (var c in Columns(type, version))
        {
            defs.Add(new JsonObject { ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority });
        }

        return defs;
    }

    private static IReadOnlyList<PrinterColumn> Columns(ResourceType type, string version) =>
        type.Columns.TryGetValue(version, out var cols) ? cols : [new PrinterColumn("Age", "date", ".metadata.creationTimestamp")];

    private static JsonObject Row(ResourceType type, string version, JsonObject obj, string? includeObject)
    {
        var cells = new JsonArray { Json.Name(obj) };
        foreach (var c in Columns(type, version))
        {
            var value = Json.SimplePath(obj, c.JsonPath);
            if (value is null)
            {
                cells.Add(null);
            }
            else if (c.Type == "date" && Json.ParseTime(value) is { } t)
            {
                cells.Add(HumanDuration(DateTimeOffset.UtcNow - t));
            }
            else
            {
                cells.Add(value.DeepClone());
            }
        }

        var row = new JsonObject { ["cells"] = cells };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = obj.DeepClone();
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
                break;
        }

        return row;
    }

    /// <summary>k8s.io/apimachinery's duration.HumanDuration, as kubectl shows ages.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
        long seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return F("{0}s", seconds);
        }

        long minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            long s = seconds % 60;
            return s == 0 ? F("{0}m", minutes) : F("{0}m{1}s", minutes, s);
        }

        if (minutes < 180)
        {
            return F("{0}m", minutes);
        }

        long hours = (long)d.TotalHours;
        if (hours < 8)
        {
            long m = minutes % 60;
            return m == 0 ? F("{0}h", hours) : F("{0}h{1}m", hours, m);
        }

        if (hours < 48)
        {
            return F("{0}h", hours);
        }

        if (hours < 24 * 8)
        {
            long h = hours % 24;
            return h == 0 ? F("{0}d", hours / 24) : F("{0}d{1}h", hours / 24, h);
        }

        if (hours < 24 * 365 * 2)
        {
            return F("{0}d", hours / 24);
        }

        if (hours < 24 * 365 * 8)
        {
            long dy = hours / 24 % 365;
            return dy == 0 ? F("{0}y", hours / 24 / 365) : F("{0}y{1}d", hours / 24 / 365, dy);
        }

        return F("{0}y", hours / 24 / 365);
    }
}
