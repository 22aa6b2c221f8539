using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

public class GRankTests
{
    private const int D = 8;
    private static readonly Lazy<Dataset> Data = new(() => SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Communities = 3, Seed = 4 }));

    private static GRankOptions Small(double dropout = 0.2) =>
        new() { Dim = D, MaxLength = 6, Blocks = 2, Heads = 2, Dropout = dropout, RankerLength = 5, RankerNegatives = 4 };

    private static GRank Model(GRankOptions? o = null, ulong seed = 3)
    {
        var m = (GRank)(o ?? Small()).Create(ModelInputs.From(Data.Value), seed);
        m.eval();
        return m;
    }

    [Fact]
    public void A_query_from_the_last_item_adds_that_items_scaled_row_and_nothing_after_padding()
    {
        using var learned = Model();
        using var seeded = Model(Small() with { QueryFromLastItem = true });
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var last = tensor(new long[] { 0, 4, 17 }, [1, 3]);   // padding, item 3, item 16
        var a = learned.Generator.QueryTokens(last);
        var b = seeded.Generator.QueryTokens(last);
        Close(Values(a[0, 0]), Values(b[0, 0]));               // after padding: the learned token alone
        var items = seeded.Generator.Items;
        Close(Values(a[0, 1] + items[3] * Math.Sqrt(D)), Values(b[0, 1]));
        Close(Values(a[0, 2] + items[16] * Math.Sqrt(D)), Values(b[0, 2]));
    }

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    private static void Close(float[] want, float[] got, int digits = 5)
    {
        Assert.Equal(want.Length, got.Length);
        for (int k = 0; k < want.Length; k++) Assert.Equal(want[k], got[k], digits);
    }

    /// <summary>Query-token outputs [T, D] after every prefix of one left-padded row (the training view), with optional injected candidates.</summary>
    private static (float[] Queries, float[] History, float[]? Candidates) Prefixes(GRankGenerator g, long[] row, long[]? candidates = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int t = row.Length;
        var rows = tensor(row, [1, t]);
        var padding = rows.eq(0).view(1, 1, t);
        var causal = ones(t, t, dtype: ScalarType.Bool).triu(1).view(1, t, t);
        var side = g.QueryTokens(rows);   // a query token after every column
        var mask = causal.logical_or(padding);
        if (candidates is not null)
        {
            int c = candidates.Length;
            side = cat([side, g.CandidateTokens(tensor(candidates, [1, c]))], 1);
            mask = cat([mask, padding.expand(1, c, t)], 1);
        }
        var (h, s) = g.Forward(rows, side, mask, null);
        return (Values(s!.narrow(1, 0, t)), Values(h), candidates is null ? null : Values(s!.narrow(1, t, candidates.Length)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALaterItemNeverChangesAnEarlierPositionOrAnEarlierQuery(bool queryFromLastItem)
    {
        using var model = Model(Small() with { QueryFromLastItem = queryFromLastItem });
        long[] a = [0, 5, 9, 2, 7, 11], b = [0, 5, 9, 2, 20, 3];   // differ from column 4 on
        var (qa, ha, _) = Prefixes(model.Generator, a);
        var (qb, hb, _) = Prefixes(model.Generator, b);
        Assert.Equal(ha[..(4 * D)], hb[..(4 * D)]);
        Assert.Equal(qa[..(4 * D)], qb[..(4 * D)]);
        Assert.NotEqual(qa[(4 * D)..(5 * D)], qb[(4 * D)..(5 * D)]);

        // The query after the whole row is what the serving path computes.
        using var _ = no_grad();
        Close(qa[(5 * D)..], Values(model.Generator.Query(tensor(a, [1, 6]))));
    }

    [Fact]
    public void InjectedCandidatesChangeNeitherTheHistoryNorTheQueryToken()
    {
        using var model = Model();
        long[] row = [0, 0, 4, 8, 15, 16];
        var (plain, historyPlain, _) = Prefixes(model.Generator, row);
        var (injected, historyInjected, cands) = Prefixes(model.Generator, row, [3, 17, 22]);
        Close(plain, injected, 6);
        Close(historyPlain, historyInjected, 6);
        // The candidates themselves do see the history: a different target gets a different output.
        var (_, _, other) = Prefixes(model.Generator, row, [3, 17, 23]);
        Close(cands![..(2 * D)], other![..(2 * D)], 6);
        Assert.NotEqual(cands[(2 * D)..], other[(2 * D)..]);
        // And the query token's loss term has no gradient path into the injected candidates' marker.
        var o = Small(dropout: 0) with { SelfAttentionWeight = 0, CrossAttentionWeight = 0 };
        using var m2 = Model(o);
        m2.train();
        using var loss = m2.Loss([[1, 2, 3], [4, 5, 6, 7]], [[1, 2], [4, 5, 6]], [], CPU);
        loss.backward();
        var marker = m2.Generator.named_parameters().Single(p => p.name == "candidate_marker").parameter;
        Assert.True(marker.grad is null || marker.grad.abs().max().item<float>() == 0);
    }

    [Fact]
    public void InfoNceMatchesAHandComputation()
    {
        var logits = tensor(new float[] { 1, 2, 3, 0.5f, 0.1f, -1 }, [2, 3]);
        var positives = tensor(new long[] { 2, 0 });
        var excluded = tensor(new[] { false, true, false, false, false, false }, [2, 3]);
        double got = InfoNce.Loss(logits, positives, excluded, 0.5).item<float>();
        // Row 0 at τ 0.5: logits 2, (excluded), 6 → −log(e⁶ / (e² + e⁶)); row 1: 1, 0.2, −2 → −log(e¹ / (e¹ + e^0.2 + e⁻²)).
        double r0 = -Math.Log(Math.Exp(6) / (Math.Exp(2) + Math.Exp(6)));
        double r1 = -Math.Log(Math.Exp(1) / (Math.Exp(1) + Math.Exp(0.2) + Math.Exp(-2)));
        Assert.Equal((r0 + r1) / 2, got, 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => InfoNce.Loss(logits, positives, null, 0));
    }

    [Fact]
    public void FalseNegativesAreOtherColumnsHoldingTheRowsPositive()
    {
        var items = tensor(new long[] { 3, 5, 3, 9 });
        var mask = InfoNce.FalseNegatives(items, tensor(new long[] { 3, 5, 3 }), tensor(new long[] { 0, 1, 2 }));
        Assert.Equal(new[] { false, false, true, false, false, false, false, false, true, false, false, false }, mask.data<bool>().ToArray());
    }

    [Fact]
    public void TheJointLossIsTheWeightedSumOfItsThreeTerms()
    {
        int[][] windows = [[1, 2, 3], [4, 5, 6, 7], [8, 2]];
        int[][] longs = [[1, 2], [], [8]];
        int[] negatives = [11, 12, 2];
        float Loss(double l0, double l1, double l2)
        {
            using var m = Model(Small() with { NextItemWeight = l0, SelfAttentionWeight = l1, CrossAttentionWeight = l2 });
            return m.Loss(windows, longs, negatives, CPU).item<float>();
        }
        float next = Loss(1, 0, 0), self = Loss(0, 1, 0), cross = Loss(0, 0, 1);
        Assert.All(new[] { next, self, cross }, v => Assert.True(v > 0 && float.IsFinite(v)));
        Assert.Equal(next + 0.5f * self + 2 * cross, Loss(1, 0.5, 2), 4);
        // Target-aware off drops the self-attention term.
        using var off = Model(Small() with { TargetAware = false });
        using var on = Model(Small() with { SelfAttentionWeight = 0 });
        Assert.Equal(on.Loss(windows, longs, negatives, CPU).item<float>(), off.Loss(windows, longs, negatives, CPU).item<float>(), 5);
    }

    [Fact]
    public void TargetShareIsTheShareOfTrainedUsersWhoseLastItemItIs()
    {
        // Users 0..3: [2, 1], [0, 1], [3] (one item: not trained), [1, 2, 0].
        var h = UserHistories.From(new Interactions([0, 0, 1, 1, 2, 3, 3, 3], [2, 1, 0, 1, 3, 1, 2, 0]), 4, 4);
        Assert.Equal(new[] { 1f / 3, 2f / 3, 0, 0 }, GRank.TargetShare(h, 4, 4));
    }

    [Fact]
    public void PopularityCorrectionShiftsOnlyByTheCandidatesExpectedCounts()
    {
        var share = GRank.TargetShare(Data.Value.Histories(), Data.Value.NumUsers, Data.Value.NumItems);
        int[] never = Enumerable.Range(0, share.Length).Where(i => share[i] == 0).ToArray();
        int popular = Array.IndexOf(share, share.Max());
        Assert.True(never.Length >= 4, "the synthetic data needs items that are nobody's last item");
        float Ranker(bool correct, int[][] windows, int[] negatives)
        {
            using var m = Model(Small() with { NextItemWeight = 0, SelfAttentionWeight = 0, CrossAttentionWeight = 1, PopularityCorrection = correct });
            return m.Loss(windows, [[1, 2], [3]], negatives, CPU).item<float>();
        }
        // Every candidate (the rows' targets and the uniform negatives) has the same expected count R/n: a constant shift, same loss.
        int[][] flat = [[1, never[0]], [2, never[1]]];
        Assert.Equal(Ranker(false, flat, [never[2], never[3]]), Ranker(true, flat, [never[2], never[3]]), 5);
        // A candidate drawn more often than the others gets a lower corrected logit: the loss changes.
        int[][] skewed = [[1, popular], [2, never[1]]];
        Assert.NotEqual(Ranker(false, skewed, [never[2], never[3]]), Ranker(true, skewed, [never[2], never[3]]), 3);
    }

    [Fact]
    public void TheNextItemTermIsTheFullSoftmaxOverItemsAtEveryPrefix()
    {
        using var model = Model(Small() with { SelfAttentionWeight = 0, CrossAttentionWeight = 0, Temperature = 2 });
        float got = model.Loss([[3, 1, 4], [1, 5, 9, 2, 6]], [[], []], [], CPU).item<float>();
        var (q0, _, _) = Prefixes(model.Generator, [0, 0, 4, 2]);     // rows are item + 1
        var (q1, _, _) = Prefixes(model.Generator, [2, 6, 10, 3]);
        using var _ = no_grad();
        var items = Values(model.Generator.Items);
        double sum = 0; int count = 0;
        void Term(float[] q, int t, int target)
        {
            var z = Enumerable.Range(0, 30).Select(i => Enumerable.Range(0, D).Sum(k => (double)q[t * D + k] * items[i * D + k]) / 2).ToArray();
            double max = z.Max(), lse = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
            sum += lse - z[target]; count++;
        }
        Term(q0, 2, 1); Term(q0, 3, 4);
        Term(q1, 0, 5); Term(q1, 1, 9); Term(q1, 2, 2); Term(q1, 3, 6);
        Assert.Equal(sum / count, got, 4);
    }

    [Fact]
    public void ARankersScoreOfACandidateDoesNotDependOnTheOtherCandidates()
    {
        using var model = Model();
        var snapshot = model.Snapshot();
        var ranker = snapshot.Ranker!;
        Assert.Equal(30, ranker.Candidates);   // 30 items < 10 · 2000: the whole catalog
        int[] history = [4, 9, 1, 22];
        var all = ranker.Score(0, history, [5, 17, 2, 29]);
        Assert.Equal(all[1], ranker.Score(0, history, [17])[0], 6);
        var reordered = ranker.Score(-1, history, [2, 29, 17, 5, 11]);
        Close([all[2], all[3], all[1], all[0]], reordered[..4], 6);
        Assert.Empty(ranker.Score(0, history, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ranker.Score(0, history, [30]));

        // The serving copy agrees with the module, and concurrent calls agree with each other.
        using (no_grad())
        {
            var cands = tensor(new long[] { 5, 17, 2, 29 });
            var s = model.Ranker.Scores(model.Generator.ItemRows, tensor(new long[] { 0, 5, 10, 2, 23 }, [1, 5]), cands)
                    + model.Generator.Query(tensor(new long[] { 0, 0, 5, 10, 2, 23 }, [1, 6])).matmul(model.Generator.Items.index_select(0, cands).t());
            Close(Values(s), all);
        }
        Parallel.For(0, 8, _ => Close(all, ranker.Score(0, history, [5, 17, 2, 29]), 6));
        ((IDisposable)ranker).Dispose();
    }

    [Fact]
    public void BatchScoringEqualsScoringEachUserAlone()
    {
        ModelSnapshot snapshot;
        using (var model = Model()) snapshot = model.Snapshot();
        var ranker = snapshot.Ranker!;
        int[][] histories = [[4, 9, 1, 22], [], Enumerable.Range(0, 20).ToArray(), [7]];
        int[][] candidates = [[5, 17, 2, 29], [3], [0, 1, 2, 3, 4, 5, 6], []];
        int[] users = [0, -1, 3, 8];
        var enc = snapshot.Encoder!;
        var alone = enc.Encode([histories[0]]);
        var together = enc.Encode(histories)[..D];
        Assert.True(alone.Zip(together).All(p => Math.Abs(p.First - p.Second) < 1e-5), $"encoder: {string.Join(",", alone)} vs {string.Join(",", together)}");
        var batch = ranker.ScoreBatch(users, histories, candidates);
        for (int q = 0; q < users.Length; q++) Assert.True(ranker.Score(users[q], histories[q], candidates[q]).Zip(batch[q]).All(p => Math.Abs(p.First - p.Second) < 1e-5), $"user {q}: {string.Join(",", ranker.Score(users[q], histories[q], candidates[q]))} vs {string.Join(",", batch[q])}");
        Assert.Throws<ArgumentOutOfRangeException>(() => ranker.ScoreBatch([0], [[1]], [[30]]));

        // Given the first stage's scores (query · item vector, computed here by brute force) the ranker skips the
        // encoder and returns the same scores; a row of the wrong length is refused.
        var queries = enc.Encode(histories);
        var items = snapshot.Embeddings.Items;
        var first = candidates.Select((list, q) => list.Select(c => Enumerable.Range(0, D).Sum(d => queries[q * D + d] * items[c * D + d])).ToArray()).ToArray();
        var given = ranker.ScoreBatch(users, histories, candidates, first);
        for (int q = 0; q < users.Length; q++) Assert.True(batch[q].Zip(given[q]).All(p => Math.Abs(p.First - p.Second) < 1e-5), $"user {q}: {string.Join(",", batch[q])} vs {string.Join(",", given[q])}");
        Assert.True(batch[0].Zip(ranker.Score(users[0], histories[0], candidates[0], first[0])).All(p => Math.Abs(p.First - p.Second) < 1e-5), "one request with first-stage scores");
        Assert.Throws<ArgumentException>(() => ranker.ScoreBatch([0], [[1]], [[2, 3]], [[0.5f]]));
        ((IDisposable)ranker).Dispose();
    }

    [Fact]
    public void EmptyAndOverlongHistoriesBehaveAsDocumented()
    {
        ModelSnapshot snapshot;
        using (var model = Model()) snapshot = model.Snapshot();   // the snapshot outlives the model
        var encoder = snapshot.Encoder!;
        var ranker = snapshot.Ranker!;
        var longHistory = Enumerable.Range(0, 20).ToArray();
        var q = encoder.Encode([[], [], longHistory]);
        Assert.All(q, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(q[..D], q[D..(2 * D)]);                                  // every empty history: the same query
        Close(q[(2 * D)..], encoder.Encode([longHistory[^6..]]));              // only the last MaxLength items count
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([[30]]));

        int[] cands = [3, 7, 19];
        var empty = ranker.Score(0, [], cands);
        Assert.All(empty, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(empty, ranker.Score(5, [], cands));
        Close(ranker.Score(0, longHistory[^6..], cands), ranker.Score(0, longHistory, cands), 6);   // last max(RankerLength, MaxLength) items
        Parallel.For(0, 8, _ => Assert.Equal(q, encoder.Encode([[], [], longHistory])));
    }

    [Fact]
    public void LambdaCrossZeroServesTheGeneratorAlone()
    {
        using var model = Model(Small() with { CrossAttentionWeight = 0 });
        Assert.Null(model.Snapshot().Ranker);
        Assert.Equal(2000, new GRankOptions().CandidatesFor(20_000));
        Assert.Equal(19_999, new GRankOptions().CandidatesFor(19_999));
    }

    [Fact]
    public void PhaseDrawsTheSameBatchesFromTheSameGeneratorState()
    {
        var inputs = ModelInputs.From(Data.Value);
        using var model = Model();
        Tensor Draw(out IReadOnlyList<int> users)
        {
            var phase = (GRankPhase)model.Phases(inputs, new TrainerOptions { BatchSize = 8 })[0];
            var rng = new Xoshiro256(17);
            int batches = phase.Begin(ref rng);
            Assert.Equal((phase.Users.Count + 7) / 8, batches);
            users = phase.Users;
            return phase.Loss(1, CPU);
        }
        float a = Draw(out var ua).item<float>(), b = Draw(out var ub).item<float>();
        Assert.Equal(ua, ub);
        Assert.Equal(a, b);
        Assert.All(ua, u => Assert.True(inputs.Histories!.Length(u) >= 2));
    }

    [Fact]
    public void ValidateNamesTheBadOption()
    {
        string Bad(GRankOptions o) => Assert.Throws<ArgumentOutOfRangeException>(o.Validate).ParamName!;
        Assert.Equal("Heads", Bad(Small() with { Heads = 3 }));
        Assert.Equal("MaxLength", Bad(Small() with { MaxLength = 0 }));
        Assert.Equal("Dropout", Bad(Small() with { Dropout = 1 }));
        Assert.Equal("RankerLength", Bad(Small() with { RankerLength = 0 }));
        Assert.Equal("Candidates", Bad(Small() with { Candidates = 0 }));
        Assert.Equal("RankerNegatives", Bad(Small() with { RankerNegatives = -1 }));
        Assert.Equal("SelfAttentionWeight", Bad(Small() with { SelfAttentionWeight = -1 }));
        Assert.Equal("Temperature", Bad(Small() with { Temperature = 0 }));
        Assert.Equal("NextItemWeight", Bad(Small() with { NextItemWeight = 0, SelfAttentionWeight = 0, CrossAttentionWeight = 0 }));
        Assert.Equal("UserTable", Bad(Small() with { UserTable = new Recsys.Embeddings.GraphHash.GraphHashTableSpec() }));
        Assert.Throws<InvalidDataException>(() => Small().Create(new ModelInputs("x", Data.Value.TrainMatrix()), 1));
    }

    /// <summary>A fresh temp folder holding the test data as a dataset folder (<c>data/</c>) for CLI runs.</summary>
    private static (string Dir, string Data) DataFolder()
    {
        var dir = TestPaths.NewTempDir();
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(Data.Value, folder);
        return (dir, folder);
    }

    [Fact]
    public void The_generator_preset_applies_before_the_flags_and_an_unknown_preset_is_named()
    {
        var (dir, folder) = DataFolder();
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "grank", "--preset", "generator", "--lambda-cross", "0.5", "--dim", "8",
            "--history-length", "6", "--generator-blocks", "1", "--ranker-length", "10", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        var o = Assert.IsType<GRankOptions>(new RunFolder(run).ReadRecord(Tc.Catalog).Model);
        Assert.Equal((0.0, 0.5, true), (o.SelfAttentionWeight, o.CrossAttentionWeight, o.QueryFromLastItem)); // the flag wins over the preset

        (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "grank", "--preset", "fast", "--out", Path.Combine(dir, "bad"));
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, code);
        Assert.Contains("--preset", err);
        Assert.Contains("its presets: generator", err);
        (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "sasrec", "--preset", "generator", "--out", Path.Combine(dir, "bad"));
        Assert.Equal(Recsys.Cli.CliRunner.BadInput, code);
        Assert.Contains("sasrec has no presets", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
    }

    [Fact]
    public void TrainsThroughTheCliWithTheAblationFlagAndEvaluatesBothStages()
    {
        var (dir, folder) = DataFolder();
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", folder, "--model", "grank", "--dim", "8", "--history-length", "6", "--generator-blocks", "1",
            "--target-aware", "false", "--ranker-length", "10", "--epochs", "2", "--eval-every", "1", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        var record = new RunFolder(run).ReadRecord(Tc.Catalog);
        var o = Assert.IsType<GRankOptions>(record.Model);
        Assert.False(o.TargetAware);
        Assert.Equal(6, o.MaxLength);
        Assert.Equal(10, o.RankerLength);

        // eval --run scores generator + ranker (what training validated) and, with --first-stage, the generator alone.
        var (rc, output, rerr) = CliHarness.Run("eval", "--data", folder, "--run", run, "--k", "20", "--split", "valid", "--json");
        Assert.True(rc == 0, rerr);
        var ranked = System.Text.Json.Nodes.JsonNode.Parse(output)!["recall@20"]!.GetValue<double>();
        Assert.Equal(record.Evaluations.Single(e => e.Epoch == record.SavedEpoch).Metrics["recall@20"], ranked, 9);
        (rc, output, rerr) = CliHarness.Run("eval", "--data", folder, "--run", run, "--k", "20,30", "--first-stage", "--json");
        Assert.True(rc == 0, rerr);
        // 30 items: the generator's list at K = 30 holds every item a user has not seen, so recall@30 is 1.
        Assert.Equal(1.0, System.Text.Json.Nodes.JsonNode.Parse(output)!["recall@30"]!.GetValue<double>(), 9);

        // A LightGBM ranker beside the model's own ranker would never serve: rank fit refuses, naming --run.
        (rc, _, rerr) = CliHarness.Run("rank", "fit", "--data", folder, "--run", run, "--examples", "train", "--candidates", "10", "--iterations", "2");
        Assert.NotEqual(0, rc);
        Assert.Contains("--run", rerr);
        Assert.Contains("own second stage", rerr);

        // --candidates 30 hands the ranker the whole catalog, as the model's own N does on 30 items.
        (rc, output, rerr) = CliHarness.Run("eval", "--data", folder, "--run", run, "--k", "20", "--split", "valid", "--candidates", "30", "--json");
        Assert.True(rc == 0, rerr);
        Assert.Equal(ranked, System.Text.Json.Nodes.JsonNode.Parse(output)!["recall@20"]!.GetValue<double>(), 12);
    }
}
