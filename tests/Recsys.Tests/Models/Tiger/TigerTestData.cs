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
