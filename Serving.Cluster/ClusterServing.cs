using Recsys.Catalog;
using Recsys.Data;
using Recsys.Retrieval.Mips;
using Recsys.Training;

namespace Recsys.Serving.Cluster;

/// <summary>
/// Serving snapshots whose item search runs on the cluster: the front end keeps the model's user side (rows, encoder,
/// ranker, seen items, raw ids) and searches the items through a <see cref="ClusterMipsIndex"/> over the run's
/// <c>item_embeddings.arrow</c>. <see cref="RecommendationService.SwapAsync"/> over such a loader is the cluster-wide
/// swap: every shard of the new version is loaded first, then the service flips; each request is answered by the
/// version it leased, and the old version's shards are unloaded when its last request is done.
/// </summary>
public static class ClusterServing
{
    /// <summary>Loads run folder <paramref name="run"/> over dataset folder <paramref name="dataDir"/> with its items on the cluster.</summary>
    public static ServingSnapshot Load(string run, string dataDir, RecsysCatalog catalog, IGrainFactory grains, ClusterLayout? layout = null) =>
        Load(run, DatasetFolder.Read(dataDir), catalog, grains, layout);

    /// <summary>Loads run folder <paramref name="run"/> over <paramref name="data"/> with its items on the cluster.</summary>
    public static ServingSnapshot Load(string run, Dataset data, RecsysCatalog catalog, IGrainFactory grains, ClusterLayout? layout = null, string? version = null)
    {
        var folder = new RunFolder(run);
        if (!File.Exists(folder.ItemEmbeddingsFile)) throw new FileNotFoundException($"{folder.ItemEmbeddingsFile}: the run has no item embeddings to shard.", folder.ItemEmbeddingsFile);
        var factory = new ClusterIndexFactory(grains, (count, dim) => Spec(folder, count, dim, layout ?? new ClusterLayout()));
        return ServingSnapshot.Load(run, data, catalog, version, new MipsIndexChoice { Factory = factory });
    }

    /// <summary>
    /// The version a run's items get on the cluster: named after the run folder and its item file's time, laid out by
    /// <paramref name="layout"/> (at most one shard per item).
    /// </summary>
    public static ShardSetSpec Spec(RunFolder run, int count, int dim, ClusterLayout layout) => new ShardSetSpec
    {
        Version = $"{Path.GetFileName(run.Path)}@{File.GetLastWriteTimeUtc(run.ItemEmbeddingsFile):yyyyMMdd'T'HHmmss'Z'}",
        ItemsFile = Path.GetFullPath(run.ItemEmbeddingsFile), Count = count, Dim = dim,
        Shards = Math.Min(layout.Validate().Shards, count), Replicas = layout.Replicas,
    }.Validate();
}
