using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The resources served right now: the built-in kinds, CustomResourceDefinitions, and one type for every established
/// CRD. Rebuilt (under the storage lock) whenever a CRD changes; readers take an immutable snapshot without locking.
/// </summary>
public sealed class Registry
{
    private readonly Dictionary<string, (string Rv, ResourceType? Type)> crdTypes = new(StringComparer.Ordinal);
    private volatile Snapshot current;

    internal Registry()
    {
        current = new Snapshot([.. BuiltInKinds.All, Crds.Type]);
    }

    /// <summary>Every served type.</summary>
    public IReadOnlyList<ResourceType> Types => current.Types;

    /// <summary>The type served at <c>group/version/plural</c>, or null.</summary>
    public ResourceType? Find(string group, string version, string plural) =>
        current.ByPath.TryGetValue(group + "/" + version + "/" + plural, out var t) ? t : null;

    /// <summary>Recomputes the served types from the stored CRDs. Call with the storage lock held.</summary>
    internal void Rebuild(IEnumerable<JsonObject> crds)
    {
        var types = new List<ResourceType>(BuiltInKinds.All) { Crds.Type };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var crd in crds)
        {
            string name = Json.Name(crd);
            string rv = Json.Str(crd["metadata"]?["resourceVersion"]) ?? string.Empty;
            seen.Add(name);
            if (!crdTypes.TryGetValue(name, out var cached) || cached.Rv != rv)
            {
                cached = (rv, Crds.ToResourceType(crd));
                crdTypes[name] = cached;
            }

            if (cached.Type is not null)
            {
                types.Add(cached.Type);
            }
        }

        foreach (var gone in crdTypes.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            crdTypes.Remove(gone);
        }

        current = new Snapshot(types);
    }

    private sealed class Snapshot
    {
        public Snapshot(List<ResourceType> types)
        {
            Types = types;
            ByPath = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
            foreach (var t in types)
            {
                foreach (var v in t.Versions)
                {
                    ByPath[t.Group + "/" + v + "/" + t.Plural] = t;
                }
            }
        }

        public IReadOnlyList<ResourceType> Types { get; }

        public Dictionary<string, ResourceType> ByPath { get; }
    }
}
