using Recsys.Data;
using Recsys.Eval;
using Recsys.IO;
using Recsys.Retrieval.Mips;
using Recsys.Serving.Cluster;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cluster;

/// <summary>
/// Batch jobs with their items on the cluster (<c>retrieve --cluster</c>, <c>eval --cluster</c>): the output equals the
/// single-node job's bit for bit — ids, scores, tie rule, excluded training items — with users sent in small blocks.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBatchTests(ClusterFixture fixture)
{
    [Fact]
    public void Retrieve_on_the_cluster_writes_the_single_node_files()
    {
        const int n = 230, m = 700, d = 12, k = 15;
        var dir = TestPaths.NewTempDir();
        // Coarse values: many exact ties, inside and across shards, so the tie rule is exercised.
        var items = ItemFiles.Random(m, d, 7, coarse: true);
        var queries = ItemFiles.Random(n, d, 8, coarse: true);
        string itemsPath = Path.Combine(dir, "items.npy"), queriesPath = Path.Combine(dir, "queries.npy"), excludePath = Path.Combine(dir, "exclude.npy");
        NpyFile.WriteFloat32(itemsPath, items, m, d);
        NpyFile.WriteFloat32(queriesPath, queries, n, d);
        var rng = new Random(3);
        var pairs = new List<int>();
        for (int q = 0; q < n; q++) for (int j = rng.Next(0, 30); j > 0; j--) { pairs.Add(q); pairs.Add(rng.Next(m)); }
        NpyFile.WriteInt32(excludePath, [.. pairs], pairs.Count / 2, 2);

        var request = new RetrieveRequest { QueriesPath = queriesPath, ItemsPath = itemsPath, ExcludePath = excludePath, K = k, OutPath = Path.Combine(dir, "single.npy") };
        RetrieveJob.Run(request);
        var seen = new List<BlockProgress>();
        var factory = ClusterBatch.Factory(fixture.Cluster.Client, itemsPath,
            new ClusterBatchOptions { Layout = new ClusterLayout { Shards = 3, Replicas = 2 }, BlockSize = 64 }, new Collect(seen));
        var s = RetrieveJob.Run(request with { OutPath = Path.Combine(dir, "cluster.npy"), Index = new MipsIndexChoice { Factory = factory } });

        Assert.Equal(NpyFile.ReadInt32(Path.Combine(dir, "single.npy"), out _, out _), NpyFile.ReadInt32(s.IdsPath, out _, out _));
        Assert.Equal(NpyFile.ReadFloat32(Path.Combine(dir, "single.scores.npy"), out _, out _), NpyFile.ReadFloat32(s.ScoresPath, out _, out _));
        // 230 queries in blocks of 64: four blocks, the last one reaching the total.
        Assert.Equal([64, 128, 192, 230], seen.Select(p => p.QueriesDone));
        Assert.All(seen, p => Assert.Equal(n, p.QueriesTotal));
    }

    [Theory]
    [InlineData(true)]  // a trained run folder
    [InlineData(false)] // random user and item embedding files
    public void Eval_on_the_cluster_gives_the_single_node_metrics(bool trained)
    {
        var data = TrainedRuns.Data;
        EvalRequest request;
        string itemsFile;
        if (trained)
        {
            request = new EvalRequest { DataFolder = TrainedRuns.DataDir, Run = TrainedRuns.RunA };
            itemsFile = new Recsys.Training.RunFolder(TrainedRuns.RunA).ItemEmbeddingsFile;
        }
        else
        {
            var dir = TestPaths.NewTempDir();
            string users = Path.Combine(dir, "u.npy");
            itemsFile = Path.Combine(dir, "i.npy");
            NpyFile.WriteFloat32(users, ItemFiles.Random(data.NumUsers, 6, 21, coarse: true), data.NumUsers, 6);
            NpyFile.WriteFloat32(itemsFile, ItemFiles.Random(data.NumItems, 6, 22, coarse: true), data.NumItems, 6);
            request = new EvalRequest { DataFolder = TrainedRuns.DataDir, UserEmbeddings = users, ItemEmbeddings = itemsFile };
        }
        request = request with { Options = new EvaluationOptions { Ks = [5, 20], BlockSize = 16 } };
        var single = EvalPipeline.Run(request);
        var factory = ClusterBatch.Factory(fixture.Cluster.Client, itemsFile, new ClusterBatchOptions { BlockSize = 16 });
        var cluster = EvalPipeline.Run(request with { Index = new MipsIndexChoice { Factory = factory } });

        Assert.Equal(single.Keys, cluster.Keys);
        Assert.True(single.NumUsers > 20);
        foreach (var key in single.Keys)
        {
            Assert.Equal(single.Mean(key), cluster.Mean(key));
            Assert.Equal(single.PerUser(key).ToArray(), cluster.PerUser(key).ToArray());
        }
        // Training items were excluded on both sides: a model scoring them would put them first.
        Assert.True(single.Mean("recall@20") < 1);
    }

    [Fact]
    public void A_cluster_reading_another_catalog_is_refused()
    {
        const int m = 90, d = 5;
        var items = ItemFiles.Random(m, d, 31, coarse: false);
        var path = ItemFiles.Write(items, d, "npy");
        var client = fixture.Cluster.Client;

        // The silos read 90 rows; the job's model has the first 80: another catalog size.
        var shorter = items.AsSpan(0, 80 * d).ToArray();
        var e = Assert.Throws<ClusterMismatchException>(() => ClusterBatch.Factory(client, path).Create(shorter, d));
        Assert.Contains("90 items", e.Message);
        Assert.Contains("80", e.Message);

        // Same size, one vector changed: the shard holding it differs.
        var changed = (float[])items.Clone();
        changed[50 * d] += 1;
        e = Assert.Throws<ClusterMismatchException>(() => ClusterBatch.Factory(client, path).Create(changed, d));
        Assert.Contains("differ from the model's item vectors", e.Message);
    }

    private sealed class Collect(List<BlockProgress> into) : IProgress<BlockProgress>
    {
        public void Report(BlockProgress value) { lock (into) into.Add(value); }
    }
}
