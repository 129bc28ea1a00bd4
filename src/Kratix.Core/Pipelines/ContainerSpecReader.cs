using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>
/// Reads a Pipeline's container into what a runtime runs: command and args after Kubernetes' <c>$(VAR)</c> expansion,
/// and the environment (the Kratix variables, then <c>envFrom</c>, then <c>env</c>, later entries winning as in a Pod, except
/// that <c>envFrom</c> never replaces a Kratix variable: upstream puts those in the Pod's <c>env</c>, which wins over <c>envFrom</c>).
/// A value taken from a ConfigMap or Secret that is not available locally is an error, unless marked optional.
/// </summary>
public static class ContainerSpecReader
{
    public static (ContainerSpec Spec, IReadOnlyList<KeyValuePair<string, string>> Environment) Read(
        Pipeline pipeline, JsonObject container, IReadOnlyList<KeyValuePair<string, string>> kratixEnvironment, ValueSources sources)
    {
        var name = container.GetString("name") ?? string.Empty;
        var where = $"Pipeline \"{pipeline.Name}\" container \"{name}\"";
        var environment = new List<KeyValuePair<string, string>>(kratixEnvironment);
        foreach (var from in (container["envFrom"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var prefix = from.GetString("prefix") ?? string.Empty;
            var (kind, reference) = from["configMapRef"] is JsonObject c ? ("ConfigMap", c) : from["secretRef"] is JsonObject s ? ("Secret", s) : (null, null);
            if (kind is null || reference is null)
            {
                throw Unresolvable(where, "an envFrom entry has neither configMapRef nor secretRef");
            }

            var sourceName = reference.GetString("name") ?? string.Empty;
            var values = Lookup(sources, kind, sourceName);
            if (values is null)
            {
                if (reference.GetBool("optional") == true)
                {
                    continue;
                }

                throw Unresolvable(where, $"envFrom takes every key of {kind} \"{sourceName}\", which is not available to a local run. {HowToSupply(kind, sourceName, "<key>")}");
            }

            // The Kratix variables are in the Pod's env, which the kubelet applies after envFrom: envFrom cannot replace them.
            foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Where(kv => !kratixEnvironment.Any(k => k.Key == prefix + kv.Key)))
            {
                Set(environment, prefix + key, value);
            }
        }

        foreach (var entry in (container["env"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var variable = entry.GetString("name") ?? string.Empty;
            if (entry["valueFrom"] is JsonObject valueFrom)
            {
                if (ResolveValueFrom(where, variable, valueFrom, sources) is { } resolved)
                {
                    Set(environment, variable, resolved);
                }

                continue;
            }

            Set(environment, variable, Expand(entry.GetString("value") ?? string.Empty, environment));
        }

        var spec = new ContainerSpec(
            name,
            container.GetString("image") ?? string.Empty,
            Strings(container["command"])?.Select(s => Expand(s, environment)).ToList(),
            Strings(container["args"])?.Select(s => Expand(s, environment)).ToList(),
            container.GetString("workingDir"),
            Limits(container["resources"]?["limits"] as JsonObject, where));
        return (spec, environment);
    }

    /// <summary>Kubernetes' expansion: <c>$(NAME)</c> becomes the variable's value when it is defined, <c>$$</c> becomes <c>$</c>, anything else stays.</summary>
    public static string Expand(string text, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            if (text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            var close = text[i + 1] == '(' ? text.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                result.Append(text[i]);
                continue;
            }

            var variable = text[(i + 2)..close];
            var found = environment.LastOrDefault(kv => kv.Key == variable);
            result.Append(found.Key is null ? text[i..(close + 1)] : found.Value);
            i = close;
        }

        return result.ToString();
    }

    /// <summary>A Kubernetes quantity for CPU ("200m", "0.5", "2") in CPUs.</summary>
    public static double ParseCpu(string quantity, string where) =>
        quantity.EndsWith('m')
            ? ParseNumber(quantity[..^1], where, quantity) / 1000
            : ParseNumber(quantity, where, quantity);

    /// <summary>A Kubernetes quantity for memory ("256Mi", "1G", "128974848", "129e6") in bytes.</summary>
    public static long ParseMemory(string quantity, string where)
    {
        (string Suffix, double Factor)[] suffixes =
        [
            ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
            ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18), ("m", 1e-3),
        ];
        foreach (var (suffix, factor) in suffixes)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (long)Math.Ceiling(ParseNumber(quantity[..^suffix.Length], where, quantity) * factor);
            }
        }

        return (long)Math.Ceiling(ParseNumber(quantity, where, quantity));
    }

    private static ContainerLimits Limits(JsonObject? limits, string where)
    {
        if (limits is null)
        {
            return ContainerLimits.None;
        }

        var cpu = limits["cpu"] is JsonValue c ? ParseCpu(Convert.ToString(Manifests.JsonValues.ToClr(c), CultureInfo.InvariantCulture)!, where) : (double?)null;
        var memory = limits["memory"] is JsonValue m ? ParseMemory(Convert.ToString(Manifests.JsonValues.ToClr(m), CultureInfo.InvariantCulture)!, where) : (long?)null;
        return new ContainerLimits(cpu, memory);
    }

    private static double ParseNumber(string text, string where, string quantity) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new KratixException("PipelineContainerInvalid", KratixErrorCategory.InvalidData, $"{where}: resources.limits quantity \"{quantity}\" is not a Kubernetes quantity (e.g. 200m, 0.5, 256Mi, 1G).", quantity);

    private static string? ResolveValueFrom(string where, string variable, JsonObject valueFrom, ValueSources sources)
    {
        if (valueFrom["fieldRef"] is JsonObject fieldRef)
        {
            var path = fieldRef.GetString("fieldPath") ?? string.Empty;
            return sources.PodFields.TryGetValue(path, out var field)
                ? field
                : throw Unresolvable(where, $"env {variable} reads the Pod field \"{path}\", which a local run does not have (it has: {string.Join(", ", sources.PodFields.Keys.Order(StringComparer.Ordinal))}). Set env {variable} with a value instead.");
        }

        var (kind, reference) = valueFrom["configMapKeyRef"] is JsonObject c ? ("ConfigMap", c) : valueFrom["secretKeyRef"] is JsonObject s ? ("Secret", s) : (null, null);
        if (kind is null || reference is null)
        {
            var what = valueFrom.Select(kv => kv.Key).FirstOrDefault() ?? "valueFrom";
            throw Unresolvable(where, $"env {variable} uses valueFrom.{what}, which describes a Pod on a cluster and has no value in a local run. Set env {variable} with a value instead.");
        }

        var sourceName = reference.GetString("name") ?? string.Empty;
        var key = reference.GetString("key") ?? string.Empty;
        if (Lookup(sources, kind, sourceName) is { } values && values.TryGetValue(key, out var value))
        {
            return value;
        }

        return reference.GetBool("optional") == true
            ? null
            : throw Unresolvable(where, $"env {variable} takes its value from {kind} \"{sourceName}\" key \"{key}\", which is not available to a local run. {HowToSupply(kind, sourceName, key)}");
    }

    private static IReadOnlyDictionary<string, string>? Lookup(ValueSources sources, string kind, string name) =>
        (kind == "Secret" ? sources.Secrets : sources.ConfigMaps).TryGetValue(name, out var values) ? values : null;

    private static string HowToSupply(string kind, string name, string key) =>
        $"Supply it with Invoke-KratixPipeline -{kind} @{{ '{name}' = @{{ '{key}' = '...' }} }}, or mark the reference optional.";

    private static void Set(List<KeyValuePair<string, string>> environment, string name, string value)
    {
        environment.RemoveAll(kv => kv.Key == name);
        environment.Add(new(name, value));
    }

    private static List<string>? Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n is JsonValue v ? Convert.ToString(Manifests.JsonValues.ToClr(v), CultureInfo.InvariantCulture) ?? string.Empty : string.Empty).ToList() : null;

    private static KratixException Unresolvable(string where, string why) =>
        new("PipelineEnvUnresolvable", KratixErrorCategory.InvalidArgument, $"{where}: {why}", where);
}
