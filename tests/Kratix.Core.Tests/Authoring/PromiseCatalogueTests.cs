using Kratix.Authoring;

namespace Kratix.Core.Tests.Authoring;

/// <summary>A catalogue of Promises (docs/authoring.md#catalogues): a folder of Promise files, or an index, searched by name, tag and text.</summary>
public sealed class PromiseCatalogueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kratix-catalogue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Promise(string name, string? annotations = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "promise.yaml"),
            $"apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: {name}\n  labels:\n    kratix.io/promise-version: v1.0.0\n{annotations}");
    }

    [Fact]
    public void A_folder_is_its_promise_files_with_description_and_tags_from_annotations()
    {
        Promise("postgresql", "  annotations:\n    kratix.io/description: SQL databases\n    kratix.io/tags: database, sql\n");
        Promise("redis");
        File.WriteAllText(Path.Combine(_dir, "notes.yaml"), "kind: ConfigMap\n");
        File.WriteAllText(Path.Combine(_dir, "broken.yaml"), "a: [\n");

        var entries = PromiseCatalogue.Read(_dir);

        Assert.Equal(["postgresql", "redis"], entries.Select(e => e.Name));
        Assert.Equal("SQL databases", entries[0].Description);
        Assert.Equal(["database", "sql"], entries[0].Tags);
        Assert.Equal("v1.0.0", entries[0].Version);
        Assert.Equal(Path.Combine(_dir, "postgresql", "promise.yaml"), PromiseCatalogue.Fetch(entries[0], _dir).Path);
    }

    [Fact]
    public void An_index_names_files_relative_to_itself()
    {
        Promise("postgresql");
        File.WriteAllText(Path.Combine(_dir, "index.yaml"), "promises:\n- name: postgresql\n  tags: [database]\n  path: postgresql/promise.yaml\n- name: remote\n  url: https://example.com/remote.yaml\n");

        var entries = PromiseCatalogue.Read(_dir);

        Assert.Equal(Path.Combine(_dir, "postgresql", "promise.yaml"), entries[0].Location);
        Assert.Equal("https://example.com/remote.yaml", entries[1].Location);
    }

    [Theory]
    [InlineData("promises: []\n", 0)]
    [InlineData("items: []\n", -1)]
    [InlineData("promises:\n- name: x\n", -1)]
    public void An_index_needs_promises_with_a_name_and_a_place(string index, int count)
    {
        var file = Path.Combine(_dir, "catalogue.yaml");
        File.WriteAllText(file, index);

        if (count < 0)
        {
            Assert.Equal("CatalogueInvalid", Assert.Throws<KratixException>(() => PromiseCatalogue.Read(file)).ErrorId);
        }
        else
        {
            Assert.Equal(count, PromiseCatalogue.Read(file).Count);
        }
    }

    [Fact]
    public void Search_matches_name_every_tag_and_text_in_any_case()
    {
        CatalogueEntry[] entries =
        [
            new("postgresql", null, "SQL databases", ["database", "sql"], "a", "c"),
            new("redis", null, "An in-memory cache", ["cache"], "b", "c"),
        ];

        Assert.Equal(["postgresql"], PromiseCatalogue.Search(entries, n => n.StartsWith("post", StringComparison.Ordinal), [], null).Select(e => e.Name));
        Assert.Equal(["postgresql"], PromiseCatalogue.Search(entries, _ => true, ["DATABASE", "sql"], null).Select(e => e.Name));
        Assert.Empty(PromiseCatalogue.Search(entries, _ => true, ["database", "cache"], null));
        Assert.Equal(["redis"], PromiseCatalogue.Search(entries, _ => true, [], "MEMORY").Select(e => e.Name));
    }
}
