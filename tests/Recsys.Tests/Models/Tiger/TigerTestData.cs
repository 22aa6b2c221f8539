using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Models;
using Recsys.Tables.SemanticId;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Models.Tiger;

/// <summary>Tiny inputs for TIGER's tests: histories given as arrays, codes on a grid, written to a temp file.</summary>
internal static class TigerTestData
{
    /// <summary>Inputs of <paramref name="numItems"/> items whose user u's training history is <paramref name="histories"/>[u].</summary>
    public static ModelInputs Inputs(int numItems, int[][] histories)
    {
        var users = histories.SelectMany((h, u) => h.Select(_ => u)).ToArray();
        var items = histories.SelectMany(h => h).ToArray();
        var x = new Interactions(users, items);
        return new ModelInputs("tiger-test", InteractionMatrix.From(x, histories.Length, numItems)) { Histories = UserHistories.From(x, histories.Length, numItems) };
    }

    /// <summary>Codes of <paramref name="items"/> items: c1 = i mod 3, c2 = ⌊i / 3⌋ mod 2, then the disambiguation column.</summary>
    public static SemanticIdCodes Codes(int items)
    {
        var codes = new int[items * 2];
        for (int i = 0; i < items; i++) { codes[i * 2] = i % 3; codes[i * 2 + 1] = i / 3 % 2; }
        return SemanticIdCodes.Disambiguate(items, [3, 2], codes, "test");
    }

    /// <summary>
    /// A one-epoch TIGER run (width 16, one layer each side, beam 10) trained through the CLI on a synthetic dataset
    /// of 60 users and 40 items written to <paramref name="dir"/>/data (<paramref name="coldItems"/>: share of items
    /// held out of training); returns the data and run folders.
    /// </summary>
    public static (string Data, string Run) TrainedRun(string dir, double coldItems = 0)
    {
        var data = Path.Combine(dir, "data");
        var d = Recsys.Data.Synthetic.SyntheticGenerator.Generate(new Recsys.Data.Synthetic.SyntheticOptions { Users = 60, Items = 40, Seed = 9 });
        DatasetFolder.Write(coldItems > 0 ? Recsys.Data.Splits.ColdItemsSplit.Apply(d, new Recsys.Data.Splits.ColdItemsOptions { Fraction = coldItems, Seed = 1 }) : d, data);
        var codes = Write(Codes(40));
        var run = Path.Combine(dir, "run");
        var r = CliHarness.Run("train", "--data", data, "--model", "tiger", "--codes", codes, "--dim", "16", "--encoder-layers", "1", "--decoder-layers", "1",
            "--attention-heads", "2", "--head-dim", "8", "--feed-forward", "32", "--beam", "10", "--epochs", "1", "--eval-every", "0", "--batch", "64", "--out", run, "--json");
        if (r.Code != 0) throw new InvalidOperationException(r.Err + r.Out);
        return (data, run);
    }

    public static string Write(SemanticIdCodes codes)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "codes.arrow");
        codes.Write(path);
        return path;
    }

    /// <summary>Small options over a codes file (written to a temp file).</summary>
    public static TigerOptions Options(SemanticIdCodes codes, double dropout = 0, int layers = 1)
    {
        var path = Write(codes);
        return new TigerOptions
        {
            Codes = path, CodesSha256 = SemanticIdTableSpec.Sha256Of(path), Dim = 16, MaxItems = 4, EncoderLayers = layers, DecoderLayers = layers,
            AttentionHeads = 2, HeadDim = 8, FeedForward = 32, Dropout = dropout, UserBuckets = 5, Beam = 4,
        };
    }
}
