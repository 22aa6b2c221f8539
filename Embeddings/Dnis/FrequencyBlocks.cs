using System.Globalization;
using Recsys.Tables;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// DNIS's feature blocks: the ids of one side sorted by training frequency (interactions, most frequent first, ties to
/// the lower id) and cut into S consecutive blocks of the given fractions. Block b holds ranks
/// [<see cref="Start"/>(b), <see cref="Start"/>(b+1)); <see cref="BlockOf"/> and <see cref="PositionOf"/> say where each id landed.
/// A pure function of the degrees and the fractions, so a table rebuilt from its spec finds the same blocks.
/// </summary>
public sealed class FrequencyBlocks
{
    private readonly int[] _starts;

    private FrequencyBlocks(int[] blockOf, int[] positionOf, int[] starts, int[] order)
    {
        BlockOf = blockOf; PositionOf = positionOf; _starts = starts; Order = order;
    }

    /// <summary>Block of every id [Count].</summary>
    public int[] BlockOf { get; }
    /// <summary>Rank of every id within its block [Count].</summary>
    public int[] PositionOf { get; }
    /// <summary>Ids by decreasing frequency [Count].</summary>
    public int[] Order { get; }
    public int Count => BlockOf.Length;
    public int Blocks => _starts.Length - 1;

    /// <summary>First rank of block <paramref name="b"/> (b = Blocks gives Count).</summary>
    public int Start(int b) => _starts[b];
    /// <summary>Ids in block <paramref name="b"/>.</summary>
    public int Size(int b) => _starts[b + 1] - _starts[b];

    /// <summary>The blocks of ids with training <paramref name="degrees"/>, cut at <paramref name="fractions"/> (validated by <see cref="Check"/>).</summary>
    public static FrequencyBlocks Of(int[] degrees, IReadOnlyList<double> fractions, string side = "ids")
    {
        Check(fractions, degrees.Length, side);
        int n = degrees.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (x, y) => degrees[x] != degrees[y] ? degrees[y].CompareTo(degrees[x]) : x.CompareTo(y));
        var starts = new int[fractions.Count + 1];
        double cum = 0;
        for (int b = 1; b < fractions.Count; b++)
        {
            cum += fractions[b - 1];
            // Rounded cumulative cut, but every block keeps at least one id (Check guarantees enough of them).
            starts[b] = Math.Clamp((int)Math.Round(cum * n), starts[b - 1] + 1, n - (fractions.Count - b));
        }
        starts[^1] = n;
        var blockOf = new int[n];
        var positionOf = new int[n];
        for (int b = 0; b < fractions.Count; b++)
            for (int r = starts[b]; r < starts[b + 1]; r++) { blockOf[order[r]] = b; positionOf[order[r]] = r - starts[b]; }
        return new FrequencyBlocks(blockOf, positionOf, starts, order);
    }

    /// <summary>The blocks of a table's side: degrees from the context's training data.</summary>
    public static FrequencyBlocks Of(TableContext ctx, IReadOnlyList<double> fractions) =>
        Of(ctx.Degrees(), fractions, ctx.Side.ToString().ToLowerInvariant());

    /// <summary>S equal fractions 1/S.</summary>
    public static double[] Equal(int blocks)
    {
        if (blocks < 1) throw new ArgumentOutOfRangeException(nameof(DnisTableSpec.Fractions), blocks, "DNIS needs at least one frequency block.");
        return Enumerable.Repeat(1.0 / blocks, blocks).ToArray();
    }

    /// <summary>Fractions written "0.1,0.2,0.7".</summary>
    public static double[] Parse(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentOutOfRangeException(option, text, $"expected comma-separated fractions like 0.1,0.2,0.7; '{t}' is not a number.")).ToArray();

    /// <summary>Fractions must be positive and sum to 1, with no more blocks than <paramref name="ids"/>.</summary>
    public static void Check(IReadOnlyList<double> fractions, int ids, string side = "ids")
    {
        const string name = nameof(DnisTableSpec.Fractions);
        if (fractions is null || fractions.Count == 0) throw new ArgumentOutOfRangeException(name, "DNIS needs at least one frequency block.");
        if (fractions.Any(f => !(f > 0) || !double.IsFinite(f))) throw new ArgumentOutOfRangeException(name, string.Join(",", fractions), "every block fraction must be positive.");
        if (Math.Abs(fractions.Sum() - 1) > 1e-6) throw new ArgumentOutOfRangeException(name, string.Join(",", fractions), $"the block fractions must sum to 1 (they sum to {fractions.Sum():G6}).");
        if (ids >= 0 && fractions.Count > ids)
            throw new ArgumentOutOfRangeException(name, fractions.Count, $"{fractions.Count} frequency blocks need at least {fractions.Count} {side}, but the table has {ids}.");
    }
}
