using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Builds the <see cref="ClusterMipsIndex"/> of a model's items: <paramref name="spec"/> names the version for the
/// items' count and width (the file the shards read, its layout), the factory loads every replica of every shard (the first half of a swap; the front
/// end flips to the new version only after this returns), and proves the shards hold exactly the vectors the front end's
/// model has (a checksum per shard), so the cluster's answers equal the single-node ones.
/// </summary>
public sealed class ClusterIndexFactory(IGrainFactory grains, Func<int, int, ShardSetSpec> spec) : IMipsIndexFactory
{
    public string Name => "cluster";

    public IMipsIndex Create(float[] items, int dim)
    {
        var version = spec(MipsArguments.ItemCount(items, dim), dim).Validate();
        if (version.Count != items.Length / dim || version.Dim != dim)
            throw new ArgumentException($"the version holds {version.Count} × {version.Dim} items, the model {items.Length / dim} × {dim}.", nameof(items));
        var infos = Task.Run(() => grains.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(version)).GetAwaiter().GetResult();
        for (int s = 0; s < version.Shards; s++)
        {
            var (start, count) = version.Range(s);
            ulong expected = RowChecksum.Of(items.AsSpan(start * dim, count * dim));
            foreach (var info in infos.Where(i => i.Start == start))
                if (info.Checksum != expected)
                    throw new InvalidDataException($"{version.ItemsFile}: items {start}..{start + count - 1} differ from the model's item vectors (shard {info.Key} on {info.Silo}); the cluster would answer differently from the model.");
        }
        return new ClusterMipsIndex(grains, version, retireOnDispose: true);
    }
}
