using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Builds the <see cref="ClusterMipsIndex"/> of a model whose item vectors are in <paramref name="itemsFile"/>: lays the
/// version out (<see cref="ClusterLayout"/>), loads every replica of every shard (the first half of a swap; the front
/// end flips to the new version only after this returns), and proves the shards hold exactly the vectors the front end's
/// model has (a checksum per shard), so the cluster's answers equal the single-node ones.
/// </summary>
public sealed class ClusterIndexFactory(IGrainFactory grains, string itemsFile, string version, ClusterLayout layout) : IMipsIndexFactory
{
    public string Name => "cluster";

    public IMipsIndex Create(float[] items, int dim)
    {
        var spec = new ShardSetSpec
        {
            Version = version, ItemsFile = Path.GetFullPath(itemsFile), Count = MipsArguments.ItemCount(items, dim), Dim = dim,
            Shards = Math.Min(layout.Validate().Shards, Math.Max(1, items.Length / dim)), Replicas = layout.Replicas,
        }.Validate();
        var infos = Task.Run(() => grains.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(spec)).GetAwaiter().GetResult();
        for (int s = 0; s < spec.Shards; s++)
        {
            var (start, count) = spec.Range(s);
            ulong expected = RowChecksum.Of(items.AsSpan(start * dim, count * dim));
            foreach (var info in infos.Where(i => i.Start == start))
                if (info.Checksum != expected)
                    throw new InvalidDataException($"{spec.ItemsFile}: items {start}..{start + count - 1} differ from the model's item vectors (shard {info.Key} on {info.Silo}); the cluster would answer differently from the model.");
        }
        return new ClusterMipsIndex(grains, spec, retireOnDispose: true);
    }
}
