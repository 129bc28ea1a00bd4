using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Platforms.Cluster;

/// <summary>Dry runs on a cluster: upstream's DryRun object (a preview feature), created and read back.</summary>
public sealed partial class ClusterPlatform
{
    public DryRunResult DryRunRequest(JsonObject request, ManifestDocument? source = null, TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        throw NotOnCluster("Compare-KratixRequest", "not yet.");

    /// <summary>Upstream's DryRun previews requests only.</summary>
    public DryRunResult DryRunPromise(JsonObject promise, CancellationToken cancellationToken = default) =>
        throw NotOnCluster("Install-KratixPromise -WhatIf", "upstream Kratix's DryRun previews resource requests only, not Promises. Try the Promise on an embedded platform (Export-KratixPlatform, Import-KratixPlatform) to preview it.");
}
