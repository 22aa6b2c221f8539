using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Builds the <see cref="ClusterMipsIndex"/> of a model's items: <paramref name="spec"/> names the version for the
/// items' count and width (the file the shards read, its layout), the factory loads every replica of every shard (the first half of a swap; the front
/// end flips to the new version only after this returns), and proves the shards hold exactly the vectors the front end's
/// model has (the file's row count as each silo sees it, and a checksum per shard), so the cluster's answers equal the
/// single-node ones. A mismatch is a <see cref="ClusterMismatchException"/>.
/// </summary>
public sealed class ClusterIndexFactory(IGrainFactory grains, Func<int, int, ShardSetSpec> spec) : IMipsIndexFactory
{
    public string Name => "cluster";

    /// <summary>Queries per coordinator call of the indexes built (<see cref="ClusterMipsIndex.BlockSize"/>; 0 = never cut).</summary>
    public int BlockSize { get; init; }

    /// <summary>Blocks of one search in flight at once (<see cref="ClusterMipsIndex.BlocksInFlight"/>).</summary>
    public int BlocksInFlight { get; init; } = 2;

    /// <summary>Progress of searches cut into blocks.</summary>
    public IProgress<BlockProgress>? Progress { get; init; }

    public IMipsIndex Create(float[] items, int dim)
    {
        var version = spec(MipsArguments.ItemCount(items, dim), dim).Validate();
        if (version.Count != items.Length / dim || version.Dim != dim)
            throw new ArgumentException($"the version holds {version.Count} × {version.Dim} items, the model {items.Length / dim} × {dim}.", nameof(items));
        var infos = Task.Run(() => grains.GetGrain<IShardSetCoordinatorGrain>(0).Prepare(version)).GetAwaiter().GetResult();
        try
        {
            Verify(version, infos, items);
        }
        catch
        {
            _ = grains.GetGrain<IShardSetCoordinatorGrain>(0).Retire(version).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            throw;
        }
        return new ClusterMipsIndex(grains, version, retireOnDispose: true) { BlockSize = BlockSize, BlocksInFlight = BlocksInFlight, Progress = Progress };
    }

    /// <summary>Throws <see cref="ClusterMismatchException"/> unless every loaded replica holds exactly its rows of <paramref name="items"/>.</summary>
    public static void Verify(ShardSetSpec version, IReadOnlyList<ShardInfo> infos, float[] items)
    {
        int dim = version.Dim;
        // A silo on another machine may read another file at the same path: a different catalog size shows first.
        foreach (var info in infos)
            if (info.FileRows != 0 && info.FileRows != version.Count)
                throw new ClusterMismatchException($"{version.ItemsFile}: silo {info.Silo} reads a catalog of {info.FileRows} items, the model has {version.Count}; the cluster would answer for another catalog.");
        for (int s = 0; s < version.Shards; s++)
        {
            var (start, count) = version.Range(s);
            ulong expected = RowChecksum.Of(items.AsSpan(start * dim, count * dim));
            foreach (var info in infos.Where(i => i.Start == start))
                if (info.Checksum != expected)
                    throw new ClusterMismatchException($"{version.ItemsFile}: items {start}..{start + count - 1} differ from the model's item vectors (shard {info.Key} on {info.Silo}); the cluster would answer differently from the model.");
        }
    }
}
