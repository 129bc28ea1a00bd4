using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Objects;

namespace Kratix.Tests.Destinations;

/// <summary>spec.path is unique per state store, compared as the layout reads it (DestinationLayout.Join).</summary>
public class DestinationPathAdmissionTests
{
    [Theory]
    [InlineData("/", ".")]
    [InlineData(".", "/")]
    [InlineData("dev", "/dev/")]
    [InlineData("team//dev", "team/dev")]
    public void Paths_that_name_the_same_folder_of_one_store_clash(string existing, string path)
    {
        var error = Assert.Throws<AdmissionException>(() => DestinationAdmission.Admit(Manifest("second", path), null, [new Destination(Manifest("first", existing))]));

        Assert.Contains(error.Problems, p => p.StartsWith($"spec.path: Duplicate value: \"{path}\": Destination \"first\" already writes to this path", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dev", "dev-2", "default")]
    [InlineData("dev", "dev", "other")]
    public void Different_folders_or_different_stores_do_not_clash(string existing, string path, string store)
    {
        var admitted = DestinationAdmission.Admit(Manifest("second", path, store), null, [new Destination(Manifest("first", existing))]);

        Assert.Equal(path, admitted.Path);
    }

    private static JsonObject Manifest(string name, string path, string store = "default") => new()
    {
        ["apiVersion"] = KratixApi.ApiVersion,
        ["kind"] = KratixApi.DestinationKind,
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["path"] = path,
            ["stateStoreRef"] = new JsonObject { ["kind"] = KratixApi.GitStateStoreKind, ["name"] = store },
        },
    };
}
