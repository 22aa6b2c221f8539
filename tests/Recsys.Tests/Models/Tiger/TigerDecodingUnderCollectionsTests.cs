using Recsys.Models;
using Recsys.Tests.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models.Tiger;

/// <summary>
/// TIGER's network while another thread collects and finalizes without pause: no Scalar handed to libtorch may be
/// finalized under it (TorchSharp 0.107 frees its temporary Scalars by finalizer; see KeptScalars). With the network's
/// former implicit scalars (<c>a + b</c>, <c>masked_fill(mask, -∞)</c>) this failed ("Scalar.h toFloat") in one of two
/// runs of a Release build; a Debug build keeps temporaries alive longer and rarely shows it.
/// </summary>
[Collection(GcRegionCollection.Name)]
public class TigerDecodingUnderCollectionsTests
{
    [Fact]
    public void TheNetworkRepeatsItsOutputsWhileTheCollectorRunsBesideIt()
    {
        const int items = 60;
        var rng = new Random(3);
        var histories = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 1 + rng.Next(6)).Select(_ => rng.Next(items)).ToArray()).ToArray();
        var codes = TigerTestData.Codes(items);
        using var model = (Recsys.Models.Tiger)(TigerTestData.Options(codes, layers: 2) with { Beam = 8 }).Create(TigerTestData.Inputs(items, histories), 5);
        using (no_grad())
        {
            using var g = new Generator(11, CPU);
            foreach (var p in model.parameters()) p.normal_(0, 0.4, g);
        }
        model.eval();
        var network = model.Network;
        var users = Enumerable.Range(0, histories.Length).ToArray();
        var (rows, width) = model.Tokens.Source(users, histories, 0, users.Length, "histories");
        // The network's own calls, outside the generator's no-GC region: encoder, incremental decoder steps, full decoder.
        float[] Pass()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (memory, padding) = network.Encode(tensor(rows, [users.Length, width]), null);
            var cross = network.CrossKeys(memory);
            using var cache = network.NewCache();
            var parents = arange(users.Length, dtype: ScalarType.Int64);
            var outputs = new List<float>();
            var target = new long[users.Length * model.Tokens.Width];
            for (int level = 0; level < model.Tokens.Width; level++)
            {
                var tokens = tensor(Enumerable.Range(0, users.Length).Select(u => level == 0 ? (long)TigerTokens.Bos : model.Tokens.Code(level - 1, u % 2)).ToArray());
                var hidden = network.DecodeStep(tokens, level, level == 0 ? null : parents, cache, cross, padding);
                outputs.AddRange(network.LevelLogProbs(hidden, level).contiguous().data<float>().ToArray());
            }
            for (int u = 0; u < users.Length; u++)
                for (int t = 0; t < model.Tokens.Width; t++) target[u * model.Tokens.Width + t] = t == 0 ? TigerTokens.Bos : model.Tokens.Code(t - 1, u % 2);
            outputs.AddRange(network.Decode(tensor(target, [users.Length, model.Tokens.Width]), cross, padding, null).contiguous().data<float>().ToArray());
            return outputs.ToArray();
        }
        var first = Pass();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested) { GC.Collect(0); GC.WaitForPendingFinalizers(); }
        });
        collector.Start();
        int rounds = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(first, Pass());
                rounds++;
            }
        }
        finally { stop.Cancel(); collector.Join(); }
        Assert.True(rounds > 1, $"{rounds} rounds");
    }
}
