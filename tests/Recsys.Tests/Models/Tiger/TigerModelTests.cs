using Recsys.Models;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models.Tiger;

public class TigerModelTests
{
    private static readonly int[][] Histories = [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9, 10, 11], [2, 5]];

    private static float[] ToArray(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void TheDecoderIsCausal()
    {
        var codes = TigerTestData.Codes(12);
        using var model = (Recsys.Models.Tiger)TigerTestData.Options(codes, layers: 2).Create(TigerTestData.Inputs(12, Histories), 3);
        model.eval();
        var net = model.Network;
        var tok = model.Tokens;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (rows, s) = tok.Source([0], [[1, 2]], 0, 1, "h");
        var (memory, padding) = net.Encode(tensor(rows, [1, s]), null);
        var cross = net.CrossKeys(memory);
        long[] a = [TigerTokens.Bos, tok.Code(0, 1), tok.Code(1, 0)], b = [TigerTokens.Bos, tok.Code(0, 1), tok.Code(1, 1)], c = [TigerTokens.Bos, tok.Code(0, 2), tok.Code(1, 0)];
        var ha = ToArray(net.Decode(tensor(a, [1, 3]), cross, padding, null));
        var hb = ToArray(net.Decode(tensor(b, [1, 3]), cross, padding, null));
        var hc = ToArray(net.Decode(tensor(c, [1, 3]), cross, padding, null));
        int d = 16;
        // Changing position 2 leaves positions 0 and 1 unchanged; changing position 1 changes positions 1 and 2 only.
        Assert.Equal(ha[..(2 * d)], hb[..(2 * d)]);
        Assert.NotEqual(ha[(2 * d)..], hb[(2 * d)..]);
        Assert.Equal(ha[..d], hc[..d]);
        Assert.NotEqual(ha[d..(2 * d)], hc[d..(2 * d)]);

        // The mask itself: true strictly above the diagonal.
        var mask = net.Causal(3, CPU).data<bool>().ToArray();
        Assert.Equal([false, true, true, false, false, true, false, false, false], mask);
    }

    [Fact]
    public void PaddingTheSourceDoesNotChangeTheDecoderAndTheUserTokenDoes()
    {
        var codes = TigerTestData.Codes(12);
        using var model = (Recsys.Models.Tiger)TigerTestData.Options(codes).Create(TigerTestData.Inputs(12, Histories), 3);
        model.eval();
        var net = model.Network;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        float[] Last(int user, int[][] histories, int row)
        {
            var (rows, s) = model.Tokens.Source(Enumerable.Repeat(user, histories.Length).ToArray(), histories, 0, histories.Length, "h");
            var (memory, padding) = net.Encode(tensor(rows, [histories.Length, s]), null);
            var h = net.Decode(tensor(Enumerable.Repeat((long)TigerTokens.Bos, histories.Length).ToArray(), [histories.Length, 1]), net.CrossKeys(memory), padding, null);
            return ToArray(h.select(0, row));
        }
        var alone = Last(1, [[3, 4]], 0);
        var padded = Last(1, [[3, 4], [0, 5, 6, 7]], 0);       // batched with a longer history: [3, 4] is left-padded
        for (int j = 0; j < alone.Length; j++) Assert.Equal(alone[j], padded[j], 4);
        Assert.NotEqual(alone, Last(-1, [[3, 4]], 0));   // the no-user token instead of user 1's bucket
    }

    [Fact]
    public void TeacherForcingLossIsTheMeanPerLevelCrossEntropy()
    {
        var codes = TigerTestData.Codes(12);   // levels of 3 and 2 codes, then the disambiguation column (2 codes)
        using var model = (Recsys.Models.Tiger)TigerTestData.Options(codes).Create(TigerTestData.Inputs(12, Histories), 5);
        model.eval();
        int[] users = [0, 2];
        int[][] histories = [[0, 1], [7, 8, 9]];
        int[] targets = [5, 10];
        float got = model.Loss(users, histories, targets, CPU).item<float>();

        // By hand: the decoder reads [start, c1, c2] of each target; each level's logits are its own output columns.
        using var _ = no_grad();
        var net = model.Network;
        var tok = model.Tokens;
        double sum = 0;
        for (int r = 0; r < 2; r++)
        {
            var (rows, s) = tok.Source([users[r]], [histories[r]], 0, 1, "h");
            var (memory, padding) = net.Encode(tensor(rows, [1, s]), null);
            var t = codes.Of(targets[r]).ToArray();
            var logits = ToArray(net.Logits(net.Decode(tensor(new long[] { TigerTokens.Bos, tok.Code(0, t[0]), tok.Code(1, t[1]) }, [1, 3]), net.CrossKeys(memory), padding, null)));
            int v = tok.CodeTokens;
            Assert.Equal(3 + 2 + 2, v);
            for (int level = 0; level < 3; level++)
            {
                var z = Enumerable.Range(tok.Offset(level), tok.Cardinality(level)).Select(i => (double)logits[level * v + i]).ToArray();
                double logSum = Math.Log(z.Sum(Math.Exp));
                sum += logSum - z[t[level]];
            }
        }
        Assert.Equal(sum / 6, got, 4);
    }

    [Fact]
    public void ADeterministicSuccessionIsLearnedToFullAccuracy()
    {
        // Every item i is followed by (i + 5) mod 12; histories are runs of that chain from every start.
        const int n = 12;
        var histories = Enumerable.Range(0, n).Select(start => Enumerable.Range(0, 6).Select(j => (start + 5 * j) % n).ToArray()).ToArray();
        var codes = TigerTestData.Codes(n);
        var options = TigerTestData.Options(codes) with { Dim = 32, FeedForward = 64 };
        var inputs = TigerTestData.Inputs(n, histories);
        using var model = (Recsys.Models.Tiger)options.Create(inputs, 11);
        var phase = (TigerPhase)model.Phases(inputs, new TrainerOptions { BatchSize = 64 })[0];
        Assert.Equal(n * 5, phase.Examples);
        using var adam = optim.Adam(model.parameters(), lr: 1e-2);
        var rng = new Xoshiro256(1);
        // Every history (any suffix of a chain) should get its successor first; seen items are excluded, as in evaluation.
        var asked = Enumerable.Range(0, n).Select(i => new[] { (i + 7) % n, i }).ToArray();   // ..., i → next is (i + 5) mod 12
        var want = Enumerable.Range(0, n).Select(i => (i + 5) % n).ToArray();
        int[] Top1()
        {
            model.eval();
            var g = (TigerGenerator)model.Snapshot().Generator!;
            try { return g.Generate(Enumerable.Range(0, n).ToArray(), asked, 1, null).Ids; }
            finally { g.Dispose(); model.train(); }
        }
        // Full-batch Adam steps until every successor is generated first (checked every 20 steps, at most 300).
        model.train();
        int steps = 0;
        while (steps < 300 && (steps % 20 != 0 || steps == 0 || !Top1().SequenceEqual(want)))
        {
            phase.Begin(ref rng);
            using var scope = NewDisposeScope();
            adam.zero_grad();
            phase.Loss(0, CPU).backward();
            adam.step();
            steps++;
        }
        Assert.Equal(want, Top1());
        model.eval();
        var generator = (TigerGenerator)model.Snapshot().Generator!;
        var (ids, _) = generator.Generate(Enumerable.Range(0, n).ToArray(), asked, 3, asked);
        Assert.All(ids, i => Assert.InRange(i, 0, n - 1));
        for (int q = 0; q < n; q++) Assert.DoesNotContain(ids[q * 3], asked[q]);
        generator.Dispose();
    }

    [Fact]
    public void ACodesFileForAnotherCatalogOrAChangedOneNamesTheCodes()
    {
        var inputs = TigerTestData.Inputs(12, Histories);
        var wrong = TigerTestData.Options(TigerTestData.Codes(13));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => wrong.Create(inputs, 1));
        Assert.Equal("Codes", e.ParamName);
        Assert.Contains("13 items", e.Message);

        var options = TigerTestData.Options(TigerTestData.Codes(12));
        TigerTestData.Codes(12).Write(options.Codes);   // same content: accepted
        using (options.Create(inputs, 1)) { }
        // A resume builds the model over fresh inputs; the file now holds other codes.
        new Recsys.Data.SemanticIds.SemanticIdCodes(12, [12, 1], Enumerable.Range(0, 12).SelectMany(i => new[] { i, 0 }).ToArray(), "other").Write(options.Codes);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => options.Create(TigerTestData.Inputs(12, Histories), 1));
        Assert.Equal("Codes", e.ParamName);
        Assert.Contains("changed", e.Message);
    }

    [Fact]
    public void AHistoryWithAnUnknownItemIsRefused()
    {
        var codes = TigerTestData.Codes(12);
        using var model = (Recsys.Models.Tiger)TigerTestData.Options(codes).Create(TigerTestData.Inputs(12, Histories), 3);
        var generator = model.Snapshot().Generator!;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([0], [[1, 12]], 2, null));
        Assert.Contains("item 12 is not in the catalog", e.Message);
        ((IDisposable)generator).Dispose();
    }
}
