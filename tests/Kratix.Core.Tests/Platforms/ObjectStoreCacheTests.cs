using System.Text.Json.Nodes;
using Kratix.Platforms.Embedded;

namespace Kratix.Tests.Platforms;

/// <summary>
/// The object store under the platform lock reads each object once per process (ObjectCache), yet never serves what
/// another process or a person changed since: another operation's token drops everything, and a file whose size or
/// time changed is read again.
/// </summary>
public sealed class ObjectStoreCacheTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "kratix-cache-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Another_operations_token_makes_the_next_one_read_again_even_a_file_with_the_same_size_and_time()
    {
        var store = new ObjectStore(_home);
        var path = Save(store, "size: small");
        var stamp = File.GetLastWriteTimeUtc(path);

        // What another process does under the lock: a new token first, then its writes (here the same size and time).
        File.WriteAllText(Path.Combine(_home, "objects", ".token"), Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, File.ReadAllText(path).Replace("size: small", "size: large", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.Equal("large", Size(store));
    }

    [Fact]
    public void A_file_edited_by_hand_between_operations_is_read_again()
    {
        var store = new ObjectStore(_home);
        var path = Save(store, "size: small");

        File.WriteAllText(path, File.ReadAllText(path).Replace("size: small", "size: medium", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("medium", Size(store));
    }

    [Fact]
    public void A_file_deleted_or_added_by_hand_between_operations_is_seen()
    {
        var store = new ObjectStore(_home);
        var path = Save(store, "size: small");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "copied.yaml"), File.ReadAllText(path).Replace("name: thing", "name: copied", StringComparison.Ordinal));
        File.Delete(path);

        using (store.BeginExclusive())
        {
            Assert.Equal(["copied"], store.List(ResourceType.Promise).Select(n => n["metadata"]!["name"]!.GetValue<string>()));
            Assert.Null(store.Get(ResourceType.Promise, null, "thing"));
        }
    }

    [Fact]
    public void Label_selectors_pick_objects_in_namespace_then_name_order_and_changes_to_results_do_not_reach_the_store()
    {
        var store = new ObjectStore(_home);
        using (store.BeginExclusive())
        {
            foreach (var (ns, name, team) in new[] { ("b", "one", "x"), ("a", "two", "x"), ("a", "one", "y"), ("a", "one-1", "x") })
            {
                store.Put(ResourceType.Work, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["team"] = team } } });
            }
        }

        using (store.BeginExclusive())
        {
            var selected = store.List(ResourceType.Work, labels: new Dictionary<string, string> { ["team"] = "x" });
            Assert.Equal(["a/one-1", "a/two", "b/one"], selected.Select(n => $"{n["metadata"]!["namespace"]}/{n["metadata"]!["name"]}"));
            selected[0]["metadata"]!["labels"]!["team"] = "changed";
            Assert.Equal("x", store.Get(ResourceType.Work, "a", "one-1")!["metadata"]!["labels"]!["team"]!.GetValue<string>());
        }

        // Outside the lock the files are read directly, and say the same.
        Assert.Equal(["a/one-1", "a/two", "b/one"], store.List(ResourceType.Work, labels: new Dictionary<string, string> { ["team"] = "x" })
            .Select(n => $"{n["metadata"]!["namespace"]}/{n["metadata"]!["name"]}"));
    }

    private static string Save(ObjectStore store, string spec)
    {
        using (store.BeginExclusive())
        {
            store.Put(ResourceType.Promise, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "thing" },
                ["spec"] = new JsonObject { ["size"] = spec.Split(": ")[1] },
            });
            Assert.Equal(spec.Split(": ")[1], store.Get(ResourceType.Promise, null, "thing")!["spec"]!["size"]!.GetValue<string>());
        }

        return store.PathOf(ResourceType.Promise, null, "thing");
    }

    private static string Size(ObjectStore store)
    {
        using (store.BeginExclusive())
        {
            return store.Get(ResourceType.Promise, null, "thing")!["spec"]!["size"]!.GetValue<string>();
        }
    }
}
