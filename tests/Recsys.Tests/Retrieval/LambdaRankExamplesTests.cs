using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Ranking;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

/// <summary>Where the LambdaRank training groups come from: the validation split (default) or held-out training items.</summary>
public class LambdaRankExamplesTests
{
    /// <summary>
    /// 6 items, 6 users (file order, no timestamps):
    /// u0 train 0 → 1 → 2, valid 3; u1 train 2 → 3, valid 4; u2 train 1, no validation item; u3 no training item, valid 5;
    /// u4 train 5 → 4, valid 1; u5 train 0 → 1, valid 0 (a repeat: the training items are excluded, so it is never retrieved).
    /// </summary>
    private static Dataset Tiny(bool withValid = true)
    {
        int[] tu = [0, 0, 0, 1, 1, 2, 4, 4, 5, 5], ti = [0, 1, 2, 2, 3, 1, 5, 4, 0, 1];
        int[] vu = [0, 1, 3, 4, 5], vi = [3, 4, 5, 1, 0];
        return new Dataset
        {
            Name = "tiny", NumUsers = 6, NumItems = 6,
            Train = new Interactions(tu, ti), Valid = withValid ? new Interactions(vu, vi) : null, Test = Interactions.Empty,
        };
    }

    /// <summary>A first stage of random 2-d user rows and item vectors over the data, and an exact index over its items.</summary>
    private static (CandidateFeatures Features, ExactCpuMipsIndex Index) FirstStage(Dataset data)
    {
        var rng = new Random(1);
        var emb = Enumerable.Range(0, (data.NumUsers + data.NumItems) * 2).Select(_ => (float)rng.NextDouble()).ToArray();
        var items = emb[(data.NumUsers * 2)..];
        var snapshot = new ModelSnapshot(new ModelEmbeddings(emb[..(data.NumUsers * 2)], items, 2));
        return (new CandidateFeatures(snapshot, data.TrainMatrix(), data.Histories(), null), new ExactCpuMipsIndex(items, 2));
    }

    private static readonly LambdaRankOptions Options = new() { Candidates = 6, Iterations = 2, Leaves = 2, MinExamplesPerLeaf = 1 };

    [Fact]
    public void ValidationExamplesAreTheTrainingHistoryWithTheValidationItemAsLabel()
    {
        var data = Tiny();
        var set = RunRanker.Examples(data, RankerExampleSource.Validation);
        Assert.Equal(RankerExampleSource.Validation, set.Source);
        // u2 has no validation item and u3 no history: no example for them.
        Assert.Equal([0, 1, 4, 5], set.Examples.Select(e => e.User));
        Assert.Equal([0, 1, 2], set.Examples[0].Context);
        Assert.Equal([3], set.Examples[0].Relevant);
        Assert.Equal([2, 3], set.Examples[1].Context);
        Assert.Equal([4], set.Examples[1].Relevant);
        Assert.Equal([5, 4], set.Examples[2].Context);   // file order, not id order
        Assert.Equal([1], set.Examples[2].Relevant);
        Assert.Equal([0, 1], set.Examples[3].Context);
        Assert.Equal([0], set.Examples[3].Relevant);

        // Every item is a candidate except the training items: u0 3 (3, 4, 5), u1 4, u4 4 → 11 rows in 3 groups;
        // u5's validation item is a training item, so it is never retrieved and the group is skipped.
        var (f, index) = FirstStage(data);
        using var _ = index;
        using var ranker = LightGbmRanker.Fit(f, set, index, Options);
        Assert.Equal(4, ranker.Info.Users);
        Assert.Equal(3, ranker.Info.Groups);
        Assert.Equal(11, ranker.Info.Examples);
        Assert.Equal(RankerExampleSource.Validation, ranker.Info.Source);
    }

    [Fact]
    public void HeldOutTrainingExamplesHoldOutTheLastTrainingItem()
    {
        var data = Tiny();
        var set = RunRanker.Examples(data, RankerExampleSource.HeldOutTraining);
        Assert.Equal(RankerExampleSource.HeldOutTraining, set.Source);
        // Users with ≥ 2 training items: u0, u1, u4, u5.
        Assert.Equal([0, 1, 4, 5], set.Examples.Select(e => e.User));
        Assert.Equal([0, 1], set.Examples[0].Context);
        Assert.Equal([2], set.Examples[0].Relevant);
        Assert.Equal([5], set.Examples[2].Context);
        Assert.Equal([4], set.Examples[2].Relevant);

        // Candidates exclude only the shortened context: u0 6 − 2 = 4, u1 5, u4 5, u5 5 → 19 rows, every group kept.
        var (f, index) = FirstStage(data);
        using var _ = index;
        using var ranker = LightGbmRanker.Fit(f, set, index, Options with { MaxUsers = 3 });
        Assert.Equal(3, ranker.Info.Users);   // MaxUsers keeps the first three examples
        Assert.Equal(3, ranker.Info.Groups);
        Assert.Equal(14, ranker.Info.Examples);
        // The options' example source is recorded as what the examples were, whatever the options said.
        Assert.Equal(RankerExampleSource.HeldOutTraining, ranker.Info.Options.Examples);
    }

    [Fact]
    public void ValidationExamplesNeedAValidationSplit()
    {
        var e = Assert.Throws<ArgumentException>(() => RunRanker.Examples(Tiny(withValid: false), RankerExampleSource.Validation));
        Assert.Equal(nameof(LambdaRankOptions.Examples), e.ParamName);
        Assert.Contains("no validation split", e.Message);
        Assert.NotEmpty(RunRanker.Examples(Tiny(withValid: false), RankerExampleSource.HeldOutTraining).Examples);
    }

    [Fact]
    public void ARankerRecordWithoutASourceLoadsAsHeldOutTraining()
    {
        // ranker.json files written before the source was recorded were all fitted on held-out training items.
        var data = Tiny();
        var (f, index) = FirstStage(data);
        using var _ = index;
        using var ranker = LightGbmRanker.Fit(f, RunRanker.Examples(data, RankerExampleSource.HeldOutTraining), index, Options);
        var dir = TestPaths.NewTempDir();
        ranker.Save(dir);
        var path = Path.Combine(dir, LightGbmRanker.InfoFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal("heldOutTraining", (string)json["source"]!);
        json.Remove("source");
        json["options"]!.AsObject().Remove("examples");
        File.WriteAllText(path, json.ToJsonString());
        using var loaded = LightGbmRanker.Load(dir, f);
        Assert.Equal(RankerExampleSource.HeldOutTraining, loaded.Info.Source);
        Assert.Equal(RankerExampleSource.HeldOutTraining, loaded.Info.Options.Examples);
    }
}
