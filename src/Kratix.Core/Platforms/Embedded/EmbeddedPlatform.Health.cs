using System.Text.Json.Nodes;
using Kratix.Destinations;
using Kratix.Health;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.Platforms.Embedded;

/// <summary>HealthRecords on the embedded platform, and what a probe reads of where a request's documents went.</summary>
public sealed partial class EmbeddedPlatform
{
    private HealthRecordController? _healthRecords;

    private HealthRecordController HealthRecords => _healthRecords ??= new HealthRecordController(_context, _requests);

    public HealthRecord ApplyHealthRecord(JsonObject record, ManifestDocument? source = null, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => HealthRecords.Apply(record.DeepClone().AsObject(), source));

    public IReadOnlyList<HealthRecord> GetHealthRecords(string? ns = null) => HealthRecords.List(ns);

    public void RemoveHealthRecord(string ns, string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => HealthRecords.Delete(ns, name));

    /// <summary>Reads the state store of each of the request's WorkPlacements for the files the placement carries.</summary>
    public IReadOnlyList<PlacementCheck> CheckRequestPlacements(string promise, string ns, string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () =>
        {
            var request = _requests.Get(RequirePromise(promise), ns, name) ?? throw new KratixException(
                "RequestNotFound", KratixErrorCategory.ObjectNotFound, $"There is no request \"{ns}/{name}\" of Promise \"{promise}\". Get-KratixRequest -Promise {promise} lists the requests.", name);
            var relations = ObjectRelations.Load(this);
            var checks = new List<PlacementCheck>();
            foreach (var work in relations.WorksOf(request))
            {
                var placements = relations.PlacementsOf(work);
                foreach (var group in work.WorkloadGroups.Where(g => g.Workloads.Count > 0 && !placements.Any(p => p.Id == g.Id)))
                {
                    checks.Add(new PlacementCheck($"{work.Namespace}/{work.Name}", string.Empty, string.Empty, false, $"workload group \"{group.Directory}\" of Work {work.Namespace}/{work.Name} is not scheduled to any Destination", []));
                }

                checks.AddRange(placements.Select(p => Check(p, cancellationToken)));
            }

            return (IReadOnlyList<PlacementCheck>)checks;
        });

    private PlacementCheck Check(WorkPlacement placement, CancellationToken cancellationToken)
    {
        var key = $"{placement.Namespace}/{placement.Name}";
        var destination = _context.Destinations().FirstOrDefault(d => d.Name == placement.TargetDestinationName);
        if (destination is null)
        {
            return new PlacementCheck(key, placement.TargetDestinationName, string.Empty, false, $"Destination \"{placement.TargetDestinationName}\" is not registered", []);
        }

        var storeName = $"{destination.StateStoreKind}/{destination.StateStoreName}";
        if (_context.StateStore(destination.StateStoreKind, destination.StateStoreName) is not { } store)
        {
            return new PlacementCheck(key, destination.Name, storeName, false, $"{storeName} is not registered", []);
        }

        var writer = _context.Writers.For(store);
        byte[]? Read(string path) => writer.ReadFileAsync(path, cancellationToken).GetAwaiter().GetResult();
        if (destination.FilepathMode == Destination.ModeAggregatedYaml)
        {
            var file = DestinationLayout.AggregateFile(destination);
            var text = Read(file) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
            var missing = placement.Workloads.FirstOrDefault(w => text is null || !text.Contains(System.Text.Encoding.UTF8.GetString(w.GetBytes()), StringComparison.Ordinal));
            return new PlacementCheck(key, destination.Name, storeName, missing is null, missing is null ? null : $"{file} does not hold {missing.Filepath}", [file]);
        }

        var change = DestinationLayout.ForPlacement(destination, placement, new PlacementContext(placement.PipelineName, placement.Namespace ?? string.Empty, []), delete: false);
        foreach (var file in change.Files)
        {
            var found = Read(file.Path);
            if (found is null || !found.AsSpan().SequenceEqual(file.Content))
            {
                return new PlacementCheck(key, destination.Name, storeName, false, found is null ? $"{file.Path} is not in {storeName}" : $"{file.Path} in {storeName} differs from what the placement carries", change.Files.Select(f => f.Path).ToList());
            }
        }

        return new PlacementCheck(key, destination.Name, storeName, true, null, change.Files.Select(f => f.Path).ToList());
    }
}
