using System.IO.Compression;
using System.Text;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// How a pipeline's output becomes workload groups, as upstream's WorkCreator.Execute builds them
/// (work-creator/lib/work_creator.go and its samples; behaviour.md §3 "Workload groups").
/// </summary>
public class WorkloadGroupBuilderTests
{
    // md5 of the directory names, computed outside this code (printf '%s' baz | md5sum).
    private const string RootId = "5058f1af8388633f609cadb75a75dc9d";
    private const string BazId = "73feffa4b7f6bb68e44cf984c85f6e88";
    private const string Dest1Id = "ba6cb714c06b888c00431c31c4fc3f21";
    private const string Dest2Id = "763559a4c1ace4408d5dca36112f494b";

    private static readonly IReadOnlyList<DestinationSelector> NoPromiseSelectors = [];

    private static PipelineOutputFile File(string path, string? text = null) => new(path, Encoding.UTF8.GetBytes(text ?? $"# {path}\n"));

    private static DirectorySelector Selector(string directory, params (string Key, string Value)[] labels) =>
        new(directory, labels.ToDictionary(l => l.Key, l => l.Value));

    private static DestinationSelector PromiseSelector(params (string Key, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Key, l => l.Value), DestinationSelector.FromPromise);

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);

    /// <summary>work-creator/samples/complete/input, in the order os.ReadDir walks it.</summary>
    private static IReadOnlyList<PipelineOutputFile> CompleteSample() =>
    [
        File("baz/baz-namespace-resource-request.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: baz-database\n"),
        File("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: configmap\n"),
        File("foo/bar/namespace-resource-request.yaml"),
        File("foo/multi-resource-requests.yaml"),
    ];

    /// <summary>work-creator/samples/complete/metadata/destination-selectors.yaml.</summary>
    private static IReadOnlyList<DirectorySelector> CompleteSelectors() =>
    [
        Selector(".", ("environment", "production"), ("region", "europe")),
        Selector("baz", ("environment", "staging")),
    ];

    [Fact]
    public void Builds_upstreams_complete_sample_for_a_resource()
    {
        var groups = WorkloadGroupBuilder.Build(CompleteSample(), CompleteSelectors(), "resource", [PromiseSelector(("environment", "dev"))], "configure-job");

        Assert.Equal(2, groups.Count);
        var baz = groups[0];
        Assert.Equal(BazId, baz.Id);
        Assert.Equal("baz", baz.Directory);
        Assert.Equal(["baz/baz-namespace-resource-request.yaml"], baz.Workloads.Select(w => w.Filepath));
        var bazSelector = Assert.Single(baz.DestinationSelectors);
        Assert.Equal(Labels(("environment", "staging")), bazSelector.MatchLabels);
        Assert.Equal("resource-workflow", bazSelector.Source);

        var root = groups[1];
        Assert.Equal(RootId, root.Id);
        Assert.Equal(".", root.Directory);
        Assert.Equal(["configmap.yaml", "foo/bar/namespace-resource-request.yaml", "foo/multi-resource-requests.yaml"], root.Workloads.Select(w => w.Filepath));
        Assert.Equal(2, root.DestinationSelectors.Count);
        Assert.Equal(Labels(("environment", "production"), ("region", "europe")), root.DestinationSelectors[0].MatchLabels);
        Assert.Equal("resource-workflow", root.DestinationSelectors[0].Source);
        Assert.Equal(Labels(("environment", "dev")), root.DestinationSelectors[1].MatchLabels);
        Assert.Equal("promise", root.DestinationSelectors[1].Source);
    }

    [Fact]
    public void Builds_upstreams_complete_for_promise_sample()
    {
        var groups = WorkloadGroupBuilder.Build(CompleteSample(), CompleteSelectors(), "promise", [PromiseSelector(("environment", "dev"))], "configure-job");

        var baz = Assert.Single(groups[0].DestinationSelectors);
        Assert.Equal("promise-workflow", baz.Source);
        Assert.Equal(Labels(("environment", "staging")), baz.MatchLabels);
        Assert.Equal(["promise-workflow", "promise"], groups[1].DestinationSelectors.Select(s => s.Source));
    }

    [Fact]
    public void Without_a_selectors_file_the_default_group_has_only_the_Promise_selectors()
    {
        // Upstream's "does not try to apply the metadata/destination-selectors.yaml when its not present" (samples/empty-metadata).
        var files = new[] { File("multi-resource-requests.yaml"), File("namespace-resource-request.yaml") };

        var groups = WorkloadGroupBuilder.Build(files, [], "resource", [PromiseSelector(("environment", "dev"))], "configure-job");

        var group = Assert.Single(groups);
        Assert.Equal(RootId, group.Id);
        var selector = Assert.Single(group.DestinationSelectors);
        Assert.Equal("promise", selector.Source);
        Assert.Equal(Labels(("environment", "dev")), selector.MatchLabels);
    }

    [Fact]
    public void Without_any_selectors_the_default_group_has_none()
    {
        var group = Assert.Single(WorkloadGroupBuilder.Build([File("a.yaml")], [], "resource", NoPromiseSelectors, "p"));

        Assert.Empty(group.DestinationSelectors);
        Assert.Equal(".", group.Directory);
        Assert.Equal(RootId, group.Id);
    }

    [Fact]
    public void No_default_group_when_every_file_is_in_a_directory_group()
    {
        // Upstream's "does not append the default workload group to the work" (samples/empty-default-workload-group).
        var groups = WorkloadGroupBuilder.Build([File("baz/baz-namespace-resource-request.yaml")], CompleteSelectors(), "resource", [PromiseSelector(("environment", "dev"))], "p");

        var group = Assert.Single(groups);
        Assert.Equal(BazId, group.Id);
        Assert.Equal("resource-workflow", Assert.Single(group.DestinationSelectors).Source);
    }

    [Fact]
    public void Empty_output_has_no_groups()
    {
        Assert.Empty(WorkloadGroupBuilder.Build([], [Selector(".", ("a", "b"))], "resource", [PromiseSelector(("environment", "dev"))], "p"));
    }

    [Fact]
    public void Directory_groups_ignore_the_Promise_selectors_and_get_md5_of_the_directory()
    {
        var files = new[] { File("dest1/a.yaml"), File("dest2/b.yaml"), File("root.yaml") };
        var selectors = new[] { Selector("dest2", ("env", "two")), Selector("dest1", ("env", "one")) };

        var groups = WorkloadGroupBuilder.Build(files, selectors, "resource", [PromiseSelector(("zone", "eu"))], "p");

        // Directory groups in the order of the selectors file, then the default group.
        Assert.Equal([Dest2Id, Dest1Id, RootId], groups.Select(g => g.Id));
        Assert.Equal(["dest2", "dest1", "."], groups.Select(g => g.Directory));
        Assert.Equal(["dest2/b.yaml"], groups[0].Workloads.Select(w => w.Filepath));
        foreach (var group in groups.Take(2))
        {
            var only = Assert.Single(group.DestinationSelectors);
            Assert.Equal("resource-workflow", only.Source);
            Assert.DoesNotContain("zone", only.MatchLabels.Keys);
        }

        Assert.Equal(Labels(("zone", "eu")), Assert.Single(groups[2].DestinationSelectors).MatchLabels);
    }

    [Fact]
    public void Files_in_a_directory_group_keep_their_directory_prefix()
    {
        var files = new[] { File("dest1/a.yaml"), File("dest1/nested/b.yaml") };

        var group = Assert.Single(WorkloadGroupBuilder.Build(files, [Selector("dest1", ("env", "one"))], "resource", NoPromiseSelectors, "p"));

        Assert.Equal(["dest1/a.yaml", "dest1/nested/b.yaml"], group.Workloads.Select(w => w.Filepath));
    }

    [Fact]
    public void Directories_not_named_in_the_selectors_stay_in_the_default_group()
    {
        var files = new[] { File("dest1/a.yaml"), File("other/b.yaml"), File("other/deeper/c.yaml"), File("dest10/d.yaml"), File("z.yaml") };

        var groups = WorkloadGroupBuilder.Build(files, [Selector("dest1", ("env", "one"))], "resource", NoPromiseSelectors, "p");

        Assert.Equal(["dest1/a.yaml"], groups[0].Workloads.Select(w => w.Filepath));
        Assert.Equal(["other/b.yaml", "other/deeper/c.yaml", "dest10/d.yaml", "z.yaml"], groups[1].Workloads.Select(w => w.Filepath));
    }

    [Fact]
    public void A_listed_directory_missing_from_the_output_fails_the_pipeline()
    {
        var ex = Assert.Throws<KratixException>(() =>
            WorkloadGroupBuilder.Build([File("root.yaml"), File("dest10/a.yaml")], [Selector("dest1", ("env", "one"))], "resource", NoPromiseSelectors, "my-pipeline"));

        Assert.Equal("PipelineDirectoryMissing", ex.ErrorId);
        Assert.Contains("dest1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("my-pipeline", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_selector_comes_first_then_the_Promise_selectors_squashed_first_value_wins()
    {
        var promiseSelectors = new[]
        {
            PromiseSelector(("environment", "dev"), ("zone", "eu")),
            PromiseSelector(("environment", "prod"), ("tier", "gold")),
        };

        var group = Assert.Single(WorkloadGroupBuilder.Build([File("a.yaml")], [Selector(".", ("team", "a"))], "resource", promiseSelectors, "p"));

        Assert.Equal(2, group.DestinationSelectors.Count);
        Assert.Equal("resource-workflow", group.DestinationSelectors[0].Source);
        Assert.Equal(Labels(("team", "a")), group.DestinationSelectors[0].MatchLabels);
        Assert.Equal("promise", group.DestinationSelectors[1].Source);
        Assert.Equal(Labels(("environment", "dev"), ("zone", "eu"), ("tier", "gold")), group.DestinationSelectors[1].MatchLabels);
    }

    [Fact]
    public void Promise_selectors_without_labels_still_give_a_promise_selector()
    {
        // Upstream appends the squashed selector whenever the ConfigMap has a "promise" entry, even if it has no labels.
        var group = Assert.Single(WorkloadGroupBuilder.Build([File("a.yaml")], [], "resource", [PromiseSelector()], "p"));

        var selector = Assert.Single(group.DestinationSelectors);
        Assert.Equal("promise", selector.Source);
        Assert.Empty(selector.MatchLabels);
    }

    [Fact]
    public void Workload_content_is_base64_gzip_and_round_trips()
    {
        var bytes = new byte[] { 0, 1, 2, 0xFF, 0xFE, (byte)'\n', 0x80 };
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café ✓\n";
        var files = new[] { new PipelineOutputFile("bin.dat", bytes), File("dest1/text.yaml", text) };

        var groups = WorkloadGroupBuilder.Build(files, [Selector("dest1", ("env", "one"))], "resource", NoPromiseSelectors, "p");

        var textWorkload = Assert.Single(groups[0].Workloads);
        var binWorkload = Assert.Single(groups[1].Workloads);
        Assert.Equal(text, Encoding.UTF8.GetString(textWorkload.GetBytes()));
        Assert.Equal(bytes, binWorkload.GetBytes());

        // Decoded independently of Workload: base64 of a gzip stream (magic 1f 8b).
        var raw = Convert.FromBase64String(binWorkload.Content);
        Assert.Equal([0x1f, 0x8b], raw.Take(2));
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        Assert.Equal(bytes, output.ToArray());
    }

    [Fact]
    public void An_empty_file_is_a_workload_too()
    {
        var group = Assert.Single(WorkloadGroupBuilder.Build([new PipelineOutputFile("empty.yaml", [])], [], "resource", NoPromiseSelectors, "p"));

        Assert.Empty(Assert.Single(group.Workloads).GetBytes());
    }

    [Fact]
    public void Md5_is_lowercase_hex_of_the_utf8_text()
    {
        Assert.Equal(RootId, GeneratedNames.Md5("."));
        Assert.Equal(BazId, GeneratedNames.Md5("baz"));
        Assert.Equal(RootId, KratixApi.DefaultWorkloadGroupId);
    }
}
