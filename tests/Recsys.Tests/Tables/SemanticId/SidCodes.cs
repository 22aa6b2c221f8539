using Recsys.Data.SemanticIds;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Tables.SemanticId;

/// <summary>Codes files written for the tests.</summary>
internal static class SidCodes
{
    /// <summary>
    /// Codes of <paramref name="items"/> items with two levels: c1 = i mod 3 (3 codes), c2 = ⌊i / 3⌋ mod 4 (4 codes), and
    /// the disambiguation column; written to a new temp file.
    /// </summary>
    public static string Grid(int items)
    {
        var codes = new int[items * 2];
        for (int i = 0; i < items; i++) { codes[i * 2] = i % 3; codes[i * 2 + 1] = i / 3 % 4; }
        return Write(SemanticIdCodes.Disambiguate(items, [3, 4], codes, "test"));
    }

    /// <summary>The hand-made file of the known-answer tests: 4 items, levels of 2 and 3 codes, tuples (0,0) (0,1) (1,2) (1,2).</summary>
    public static string Hand() => Write(SemanticIdCodes.Disambiguate(4, [2, 3], [0, 0, 0, 1, 1, 2, 1, 2], "hand"));

    public static string Write(SemanticIdCodes codes)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "codes.arrow");
        codes.Write(path);
        return path;
    }
}
