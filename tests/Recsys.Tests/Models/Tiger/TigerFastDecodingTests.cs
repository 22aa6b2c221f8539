using Recsys.Data.SemanticIds;
using Recsys.Models;
using static TorchSharp.torch;

namespace Recsys.Tests.Models.Tiger;

/// <summary>
/// The serving decoder (key/value cache, level-only output rows, chunks in parallel) against a straightforward
/// reference: every beam's whole prefix re-run through the full decoder at every level, each row with its own copy of
/// its encoded history, scored by a log-softmax over the sliced full output layer.
/// </summary>
public class TigerFastDecodingTests
{
    /// <summary>The reference scorer: no cache, no groups, no level-only output; all histories encoded in one batch.</summary>
    private sealed class ReferenceScorer(TigerNetwork network, TigerTokens tokens, Tensor memory, Tensor padding) : ICodeStepScorer
    {
        public float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> prefixes, int level)
        {
            using var scope = NewDisposeScope();
            int n = owners.Length, t = level + 1;
            var rows = new long[n * t];
            for (int r = 0; r < n; r++)
            {
                rows[r * t] = TigerTokens.Bos;
                for (int j = 0; j < level; j++) rows[r * t + j + 1] = tokens.Code(j, prefixes[r * level + j]);
            }
            var who = tensor(owners.ToArray().Select(q => (long)q).ToArray());
            var hidden = network.Decode(tensor(rows, [n, t]), network.CrossKeys(memory.index_select(0, who)), padding.index_select(0, who), null);
            var logits = network.Logits(hidden.select(1, level)).narrow(1, tokens.Offset(level), tokens.Cardinality(level));
            return logits.log_softmax(1).contiguous().data<float>().ToArray();
        }
    }

    /// <summary>
    /// 60 items on a 5 × 4 grid of semantic codes with random collisions (up to several items per cell, many cells
    /// empty), so trie nodes have 0 to 5 children; weights redrawn with a large spread so no two scores nearly tie.
    /// </summary>
    private static (Recsys.Models.Tiger Model, SemanticIdCodes Codes) RandomModel(int beam)
    {
        const int items = 60;
        var rng = new Random(7);
        var levelCodes = new int[items * 2];
        for (int i = 0; i < items; i++) { levelCodes[2 * i] = rng.Next(5); levelCodes[2 * i + 1] = rng.Next(2) == 0 ? rng.Next(4) : rng.Next(2); }
        var codes = SemanticIdCodes.Disambiguate(items, [5, 4], levelCodes, "test");
        var histories = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 5).Select(_ => rng.Next(items)).ToArray()).ToArray();
        var options = TigerTestData.Options(codes, layers: 2) with { Beam = beam };
        var model = (Recsys.Models.Tiger)options.Create(TigerTestData.Inputs(items, histories), 5);
        using (no_grad())
        {
            using var g = new Generator(11, CPU);
            foreach (var p in model.parameters()) p.normal_(0, 0.4, g);
        }
        model.eval();
        return (model, codes);
    }

    /// <summary>Requests: histories of 0 to 6 items; excluded = the history, one random trie cell and random items.</summary>
    private static (int[] Users, int[][] Histories, int[][] Exclude) Requests(SemanticIdCodes codes, int n, int seed)
    {
        var rng = new Random(seed);
        var users = Enumerable.Range(0, n).Select(q => q % 3 == 0 ? -1 : rng.Next(1000)).ToArray();
        var histories = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, rng.Next(7)).Select(_ => rng.Next(codes.NumItems)).ToArray()).ToArray();
        var exclude = new int[n][];
        for (int q = 0; q < n; q++)
        {
            int c1 = rng.Next(5), c2 = rng.Next(4);
            var cell = Enumerable.Range(0, codes.NumItems).Where(i => codes.Of(i)[0] == c1 && codes.Of(i)[1] == c2);
            exclude[q] = histories[q].Concat(cell).Concat(Enumerable.Range(0, codes.NumItems).Where(_ => rng.NextDouble() < 0.15)).Distinct().ToArray();
        }
        // One user may get only two items: fewer than K, the rest is padding.
        exclude[1] = Enumerable.Range(2, codes.NumItems - 2).ToArray();
        return (users, histories, exclude);
    }

    private static (int[] Ids, float[] Scores) Reference(Recsys.Models.Tiger model, int[] users, int[][] histories, int[][] exclude, int beam, int k)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (rows, s) = model.Tokens.Source(users, histories, 0, users.Length, "histories");
        var (memory, padding) = model.Network.Encode(tensor(rows, [users.Length, s]), null);
        return ConstrainedBeamSearch.Search(model.Trie, users.Length, beam, k, new ReferenceScorer(model.Network, model.Tokens, memory, padding), exclude);
    }

    [Theory]
    [InlineData(3, 2)]   // K below the beam
    [InlineData(3, 7)]   // K above the beam: the search widens to K
    [InlineData(1, 1)]   // greedy
    public void TheServingDecoderReturnsTheReferenceItemsInOrderWithTheirScores(int beam, int k)
    {
        var (model, codes) = RandomModel(beam);
        using var __ = model;
        var (users, histories, exclude) = Requests(codes, 40, seed: beam * 10 + k);
        var (wantIds, wantScores) = Reference(model, users, histories, exclude, beam, k);
        var generator = (TigerGenerator)model.Snapshot().Generator!;
        var (ids, scores) = generator.Generate(users, histories, k, exclude);
        generator.Dispose();

        Assert.Equal(wantIds, ids);
        for (int j = 0; j < ids.Length; j++)
            if (ids[j] < 0) Assert.Equal(float.NegativeInfinity, scores[j]);
            else Assert.Equal(wantScores[j], scores[j], 1e-5);
        // The cases the comparison must cover did occur: padding (fewer reachable items than K) and real choices.
        if (k > 2) Assert.Contains(-1, ids);
        Assert.True(ids.Where(i => i >= 0).Distinct().Count() > k, "different users got different items");
        for (int q = 0; q < users.Length; q++)
            for (int j = 0; j < k; j++)
                if (ids[q * k + j] >= 0) Assert.DoesNotContain(ids[q * k + j], exclude[q]);
    }

    [Fact]
    public void ABeamWhoseEveryItemIsExcludedGivesWayToTheNextBest()
    {
        // Greedy decoding where the reference's first choice leads into a cell whose items are all excluded: the
        // search has no item from that beam, and both decoders agree on what comes instead (here: padding).
        var (model, codes) = RandomModel(beam: 1);
        using var __ = model;
        int[] users = [3]; int[][] histories = [[4, 9]];
        var (free, _) = Reference(model, users, histories, [[]], 1, 1);
        var cell = codes.Of(free[0]).ToArray();
        int[][] exclude = [Enumerable.Range(0, codes.NumItems).Where(i => codes.Of(i)[0] == cell[0] && codes.Of(i)[1] == cell[1]).ToArray()];
        var (want, _) = Reference(model, users, histories, exclude, 1, 1);
        var generator = (TigerGenerator)model.Snapshot().Generator!;
        var (ids, _) = generator.Generate(users, histories, 1, exclude);
        generator.Dispose();
        Assert.Equal([-1], want);   // the greedy beam's only prefix is a dead end
        Assert.Equal(want, ids);
    }

    [Fact]
    public void TheOutputDoesNotDependOnTheNumberOfWorkersAndTheThreadCountIsRestored()
    {
        // 300 requests = 3 chunks: one worker decodes them in turn, two share them; the bits must be the same.
        var (model, codes) = RandomModel(beam: 3);
        using var __ = model;
        var (users, histories, exclude) = Requests(codes, 300, seed: 1);
        var generator = (TigerGenerator)model.Snapshot().Generator!;
        int before = get_num_threads();
        try
        {
            set_num_threads(1);
            var (ids1, scores1) = generator.Generate(users, histories, 5, exclude);
            Assert.Equal(1, get_num_threads());
            set_num_threads(2);
            var (ids2, scores2) = generator.Generate(users, histories, 5, exclude);
            Assert.Equal(2, get_num_threads());
            Assert.Equal(ids1, ids2);
            Assert.Equal(scores1, scores2);
            var (wantIds, _) = Reference(model, users, histories, exclude, 3, 5);
            Assert.Equal(wantIds, ids2);
        }
        finally
        {
            set_num_threads(before);
            generator.Dispose();
        }
    }
}
