using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.IO;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Extensibility;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Models;

/// <summary>
/// What every registered model kind must do (STYLE.md contract test, implicit's mixin): train two epochs on synthetic
/// data, checkpoint and resume bit-exactly, count its parameters, load back from its run folder, and serve through a
/// <see cref="FittedRecommender"/> whose answers equal a brute-force ranking of its snapshot.
/// </summary>
public class RecommenderModelContractTests
{
    private static readonly Lazy<Dataset> Data = new(() =>
        SyntheticGenerator.Generate(new SyntheticOptions { Users = 50, Items = 40, WithKnowledgeGraph = true, Seed = 9 }));

    private static readonly TrainerOptions Options = new()
    {
        Epochs = 3, BatchSize = 128, LearningRate = 0.01, EvalEvery = 0, Seed = 12, Device = DeviceChoice.Cpu,
    };

    /// <summary>Every kind of the standard catalog and the test-only toy kind.</summary>
    public static TheoryData<string> Kinds()
    {
        var d = new TheoryData<string>();
        foreach (var k in ExtensibilityTests.Catalog().Models) d.Add(k.Name);
        return d;
    }

    /// <summary>The kind's defaults, made small.</summary>
    private static ModelOptions Small(string kind) => ExtensibilityTests.Catalog().Model(kind).Defaults() switch
    {
        NgcfOptions n => n with { Dim = 8, LayerDims = [8, 8] },
        KgatOptions g => g with { Dim = 8, RelationDim = 4, LayerDims = [8, 4], KgBatchSize = 64 },
        LightGcnOptions l => l with { Dim = 8, Layers = 2 },
        SasRecOptions s => s with { Dim = 8, MaxLength = 8, Blocks = 1 },
        TigerOptions t => Tiger.TigerTestData.Options(Tiger.TigerTestData.Codes(40)) with { Dim = 8, Dropout = 0.1 },
        var o => o with { Dim = 8 },
    };

    [Theory, MemberData(nameof(Kinds))]
    public void TrainsResumesBitExactlyCountsParametersAndServes(string kind)
    {
        var catalog = ExtensibilityTests.Catalog();
        var data = Data.Value;
        var inputs = ModelInputs.From(data);
        var model = Small(kind);

        // Three epochs straight, and two then a resume to three: the same losses and the same weights, bit for bit.
        var straightDir = TestPaths.NewTempDir();
        var straight = new Trainer(catalog).Train(inputs, model, Options, straightDir);
        Assert.Equal(3, straight.Record.Epochs.Count);
        Assert.All(straight.Record.Epochs, e => Assert.True(double.IsFinite(e.Loss)));
        var dir = TestPaths.NewTempDir();
        new Trainer(catalog).Train(inputs, model, Options with { Epochs = 2 }, dir);
        var resumed = new Trainer(catalog).Resume(inputs, dir, epochs: 3);
        Assert.Equal(straight.Record.Epochs.Select(e => e.Loss), resumed.Record.Epochs.Select(e => e.Loss));
        Assert.Equal(straight.Embeddings!.Items, resumed.Embeddings!.Items);
        Assert.Equal(straight.Embeddings.Users, resumed.Embeddings.Users);

        // Parameters: the model's count is what its module holds; the tables' is part of it.
        using (var fresh = model.Create(inputs, 1))
        {
            long numel = fresh.Module.parameters().Sum(p => p.numel());
            Assert.Equal(numel, fresh.ParameterCount);
            Assert.Equal(numel, straight.Record.Parameters);
            Assert.InRange(straight.Record.Tables!.Parameters!.Value, 1, numel);
        }

        // The run folder loads back into the same snapshot.
        using var loaded = RunFolderRecommender.Load(dir, data, catalog);
        Assert.Equal(resumed.Embeddings.Items, loaded.Snapshot.Embeddings.Items);
        Assert.Equal(resumed.Embeddings.Users, loaded.Snapshot.Embeddings.Users);
        Assert.Equal(resumed.Embeddings.Items, EmbeddingFile.Read(new RunFolder(dir).ItemEmbeddingsFile, out _, out _));

        // Recommendations equal a brute-force ranking of the snapshot with seen items excluded; similar items likewise.
        // The query is the user's row, or for a model that encodes histories (no user rows) the encoded history.
        var train = inputs.Train;
        var e = loaded.Snapshot.Embeddings;
        if (loaded.Snapshot.Generator is not null)
        {
            // A generative model scores no catalog: its answers are distinct unseen items, best first.
            for (int u = 0; u < 10; u++)
            {
                var got = loaded.Recommend(new RecommendRequest { User = u, K = 10 });
                var seen = loaded.Data.Seen!.Row(u).ToArray();
                Assert.All(got.Items, i => { Assert.InRange(i, 0, e.NumItems - 1); Assert.DoesNotContain(i, seen); });
                Assert.Equal(got.Items.Length, got.Items.Distinct().Count());
                Assert.Equal(got.Scores.OrderByDescending(x => x), got.Scores);
            }
            return;
        }
        Assert.True(e.NumUsers > 0 || loaded.Snapshot.Encoder is not null, "a model without user rows must bring an encoder");
        for (int u = 0; u < 10; u++)
        {
            var got = loaded.Recommend(new RecommendRequest { User = u, K = 10 });
            var seen = loaded.Data.Seen!.Row(u).ToArray(); // train and validation items: what the run knows before test
            var query = loaded.Snapshot.HasUserRow(u) ? e.Users.AsSpan(u * e.Dim, e.Dim).ToArray() : loaded.UserQueries([u]);
            Assert.Equal(e.Dim, query.Length);
            var want = Enumerable.Range(0, e.NumItems).Where(i => !seen.Contains(i))
                .OrderByDescending(i => Dot(query, 0, e.Items, i, e.Dim)).ThenBy(i => i).ToArray();
            if (loaded.Snapshot.Ranker is { } ranker)
            {
                // A two-stage model: its ranker re-orders the first stage's top Candidates.
                var candidates = want.Take(ranker.Candidates).ToArray();
                var scores = ranker.Score(u, loaded.Data.History!(u), candidates);
                want = Enumerable.Range(0, candidates.Length).OrderByDescending(j => scores[j]).ThenBy(j => candidates[j]).Select(j => candidates[j]).ToArray();
            }
            Assert.Equal(want.Take(10), got.Items);
        }
        var similar = loaded.SimilarItems(3, 5);
        var brute = Enumerable.Range(0, e.NumItems).Where(i => i != 3).OrderByDescending(i => Dot(e.Items, 3, e.Items, i, e.Dim)).ThenBy(i => i).Take(5);
        Assert.Equal(brute, similar.Items);
    }

    private static float Dot(float[] a, int i, float[] b, int j, int d) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a.AsSpan(i * d, d), b.AsSpan(j * d, d));
}
