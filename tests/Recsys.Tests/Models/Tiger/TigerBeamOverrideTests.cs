using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Models.Tiger;

/// <summary>A trained TIGER run decoded with another beam width than it was trained with.</summary>
public class TigerBeamOverrideTests
{
    [Fact]
    public void AWiderBeamIsUsedAndFindsListsAtLeastAsLikelyRankByRank()
    {
        var (data, run) = TigerTestData.TrainedRun(TestPaths.NewTempDir());
        var dataset = DatasetFolder.Read(data);
        using var trained = RunFolderRecommender.Load(run, dataset, Tc.Catalog);
        // A beam as wide as the catalog keeps every tuple at every level: the exact top K by the model's log-probability.
        using var exhaustive = RunFolderRecommender.Load(run, dataset, Tc.Catalog, beam: 40);
        Assert.Equal(10, trained.Snapshot.Generator!.Beam);
        Assert.Equal(40, exhaustive.Snapshot.Generator!.Beam);
        for (int u = 0; u < dataset.NumUsers; u++)
        {
            var narrow = trained.Recommend(new RecommendRequest { User = u, K = 10 });
            var exact = exhaustive.Recommend(new RecommendRequest { User = u, K = 10 });
            Assert.Equal(narrow.Items.Length, exact.Items.Length);
            Assert.Equal(exact.Items.Length, exact.Items.Distinct().Count());
            for (int i = 0; i < exact.Scores.Length; i++)
                Assert.True(exact.Scores[i] >= narrow.Scores[i] - 1e-4f, $"user {u} rank {i}: exact {exact.Scores[i]} < beam-10 {narrow.Scores[i]}");
        }

        var e = CliHarness.Run("eval", "--data", data, "--run", run, "--k", "10", "--beam", "40", "--json");
        Assert.True(e.Code == 0, e.Err);
        Assert.InRange(JsonNode.Parse(e.Out)!["recall@10"]!.GetValue<double>(), 0, 1);
        var rec = CliHarness.Run("recommend", "--data", data, "--run", run, "--user", "3", "--k", "5", "--beam", "40", "--json");
        Assert.True(rec.Code == 0, rec.Err);

        var bad = CliHarness.Run("eval", "--data", data, "--run", run, "--beam", "0");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--beam", bad.Err);
        var mf = Path.Combine(Path.GetDirectoryName(run)!, "mf");
        Assert.Equal(0, CliHarness.Run("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "0", "--out", mf, "--json").Code);
        foreach (var cmd in new[] { "eval", "recommend" })
        {
            var notSearched = CliHarness.Run(cmd == "eval" ? ["eval", "--data", data, "--run", mf, "--beam", "5"] : ["recommend", "--data", data, "--run", mf, "--user", "3", "--beam", "5"]);
            Assert.NotEqual(0, notSearched.Code);
            Assert.Contains("--beam", notSearched.Err);
        }
        var served = CliHarness.Run("serve", "--data", data, "--run", mf, "--port", "0", "--beam", "5");
        Assert.NotEqual(0, served.Code);
        Assert.Contains("--beam", served.Err);
    }

    [Fact]
    public void TheServingSnapshotDecodesWithTheBeamAndColdSlotsItIsGiven()
    {
        var (data, run) = TigerTestData.TrainedRun(TestPaths.NewTempDir(), coldItems: 0.2);
        using (var plain = Recsys.Serving.ServingSnapshot.Load(run, data, Tc.Catalog))
        {
            Assert.IsType<TigerGenerator>(plain.Recommender.Snapshot.Generator);
            Assert.Equal(10, plain.Recommender.Snapshot.Generator!.Beam);
        }
        using var tuned = Recsys.Serving.ServingSnapshot.Load(run, data, Tc.Catalog, beam: 30, coldSlots: 0.5);
        var slots = Assert.IsType<ColdItemSlots>(tuned.Recommender.Snapshot.Generator);
        Assert.Equal(30, slots.Beam);
        Assert.True(slots.ColdItems > 0);
        using var service = new Recsys.Serving.RecommendationService(tuned, new Recsys.Serving.ServingOptions());
        var answer = service.Recommend(new Recsys.Serving.RecommendQuery { User = tuned.Users.Name(3), K = 5 });
        Assert.Null(answer.Fallback);   // the generated list, not the popularity fallback
        var direct = tuned.Recommender.Recommend(new RecommendRequest { User = 3, K = 5 });
        Assert.Equal(direct.Items.Where(i => i >= 0).Select(tuned.Items.Name), answer.Items.Select(i => i.Item));
    }
}
