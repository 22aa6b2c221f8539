using System.Globalization;
using Recsys.IO;

namespace Recsys.Data.SemanticIds;

/// <summary>
/// Semantic IDs of a catalog: every item i has a tuple of <see cref="Width"/> codes — <see cref="Levels"/> semantic
/// codes (c1 … cL, coarse to fine, from an indexer: RQ-VAE, RQ-KMeans, random, sequential, collaborative, category)
/// and a last <b>disambiguation</b> code that numbers the items sharing the same L codes (0, 1, … in item order), so
/// every tuple is unique. Column c of the tuple takes values in [0, <see cref="Cardinalities"/>[c]).
/// On disk (Arrow IPC): columns <c>item:int32, c1 … cL:int32, dedup:int32</c>, one row per item, and schema metadata
/// <c>recsys.method</c>, <c>recsys.levels</c>, <c>recsys.cardinalities</c> (comma-separated, one per column).
/// Immutable by convention.
/// </summary>
public sealed class SemanticIdCodes
{
    private const string MethodKey = "recsys.method", LevelsKey = "recsys.levels", CardinalitiesKey = "recsys.cardinalities";
    private readonly int[] _codes;
    private readonly int[] _cardinalities;

    /// <param name="numItems">Items (rows), ≥ 1.</param>
    /// <param name="cardinalities">Codes per column: L semantic levels then the disambiguation column; each ≥ 1.</param>
    /// <param name="codes">Row-major [numItems, L + 1]; column c in [0, cardinalities[c]); all tuples distinct.</param>
    /// <param name="method">The indexer's name ("rqvae", "rqkmeans", …).</param>
    /// <exception cref="ArgumentException">A shape, range or uniqueness rule is broken (the message names item and column).</exception>
    public SemanticIdCodes(int numItems, int[] cardinalities, int[] codes, string method)
    {
        ArgumentNullException.ThrowIfNull(cardinalities);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentOutOfRangeException.ThrowIfLessThan(numItems, 1);
        if (cardinalities.Length < 2)
            throw new ArgumentException("semantic IDs need at least one semantic level and the disambiguation column.", nameof(cardinalities));
        int w = cardinalities.Length;
        for (int c = 0; c < w; c++)
            if (cardinalities[c] < 1) throw new ArgumentException($"column {ColumnName(c, w)} has cardinality {cardinalities[c]}; must be ≥ 1.", nameof(cardinalities));
        if (codes.Length != (long)numItems * w)
            throw new ArgumentException($"codes hold {codes.Length} values, expected {numItems} items × {w} columns.", nameof(codes));
        for (int i = 0; i < numItems; i++)
            for (int c = 0; c < w; c++)
            {
                int v = codes[i * w + c];
                if ((uint)v >= (uint)cardinalities[c])
                    throw new ArgumentException($"item {i} column {ColumnName(c, w)} is {v}; must be in 0..{cardinalities[c] - 1}.", nameof(codes));
            }
        var seen = new Dictionary<TupleKey, int>(numItems);
        for (int i = 0; i < numItems; i++)
            if (!seen.TryAdd(new TupleKey(codes, i * w, w), i))
                throw new ArgumentException($"items {seen[new TupleKey(codes, i * w, w)]} and {i} have the same code tuple; tuples must be unique.", nameof(codes));
        NumItems = numItems; _cardinalities = cardinalities; _codes = codes; Method = method;
    }

    public int NumItems { get; }
    /// <summary>Semantic levels L (the disambiguation column not counted).</summary>
    public int Levels => _cardinalities.Length - 1;
    /// <summary>Codes per item: L + 1.</summary>
    public int Width => _cardinalities.Length;
    /// <summary>Codes per column (L semantic levels, then the disambiguation column).</summary>
    public IReadOnlyList<int> Cardinalities => _cardinalities;
    public string Method { get; }
    /// <summary>Row-major [NumItems, Width].</summary>
    public ReadOnlySpan<int> All => _codes;

    /// <summary>The code tuple of <paramref name="item"/> (length <see cref="Width"/>).</summary>
    public ReadOnlySpan<int> Of(int item)
    {
        if ((uint)item >= (uint)NumItems) throw new ArgumentOutOfRangeException(nameof(item), item, $"items are 0..{NumItems - 1}.");
        return _codes.AsSpan(item * Width, Width);
    }

    /// <summary>
    /// Appends the disambiguation column to L-level codes: items with equal L codes get 0, 1, … in item order.
    /// <paramref name="levelCodes"/> is row-major [numItems, L], <paramref name="levelCardinalities"/> has L entries;
    /// the last column's cardinality is the largest collision group.
    /// </summary>
    public static SemanticIdCodes Disambiguate(int numItems, int[] levelCardinalities, int[] levelCodes, string method)
    {
        ArgumentNullException.ThrowIfNull(levelCardinalities);
        ArgumentNullException.ThrowIfNull(levelCodes);
        int l = levelCardinalities.Length;
        if (l < 1) throw new ArgumentException("at least one semantic level.", nameof(levelCardinalities));
        if (levelCodes.Length != (long)numItems * l)
            throw new ArgumentException($"codes hold {levelCodes.Length} values, expected {numItems} items × {l} levels.", nameof(levelCodes));
        var codes = new int[numItems * (l + 1)];
        var groups = new Dictionary<TupleKey, int>(numItems);
        int largest = 1;
        for (int i = 0; i < numItems; i++)
        {
            var key = new TupleKey(levelCodes, i * l, l);
            groups.TryGetValue(key, out int next);
            groups[key] = next + 1;
            largest = Math.Max(largest, next + 1);
            Array.Copy(levelCodes, i * l, codes, i * (l + 1), l);
            codes[i * (l + 1) + l] = next;
        }
        return new SemanticIdCodes(numItems, [.. levelCardinalities, largest], codes, method);
    }

    /// <summary>Writes the codes file (atomically).</summary>
    public void Write(string path)
    {
        var columns = new (string, Apache.Arrow.IArrowArray)[Width + 1];
        columns[0] = ("item", ArrowWriter.Int32Column(Enumerable.Range(0, NumItems).ToArray()));
        var col = new int[NumItems];
        for (int c = 0; c < Width; c++)
        {
            for (int i = 0; i < NumItems; i++) col[i] = _codes[i * Width + c];
            columns[c + 1] = (ColumnName(c, Width), ArrowWriter.Int32Column(col));
        }
        var meta = new Dictionary<string, string>
        {
            [MethodKey] = Method,
            [LevelsKey] = Levels.ToString(CultureInfo.InvariantCulture),
            [CardinalitiesKey] = string.Join(",", _cardinalities.Select(x => x.ToString(CultureInfo.InvariantCulture))),
        };
        ArrowWriter.Write(path, meta, columns);
    }

    /// <summary>
    /// Reads a codes file; <paramref name="expectedItems"/>, when given, must equal its item count (a codes file for
    /// another catalog is an error naming both counts).
    /// </summary>
    /// <exception cref="DataFormatException">The file is not a valid codes file (the message names the file and the problem).</exception>
    public static SemanticIdCodes Read(string path, int? expectedItems = null)
    {
        using var t = ArrowTable.Open(path);
        var meta = t.Schema.Metadata ?? new Dictionary<string, string>();
        string Meta(string key) => meta.TryGetValue(key, out var v) ? v
            : throw new DataFormatException(path, 0, key, "schema metadata is missing; not a semantic-ID codes file (recsys index semantic-ids writes them).");
        if (!int.TryParse(Meta(LevelsKey), NumberStyles.None, CultureInfo.InvariantCulture, out int levels) || levels < 1 || levels > 64)
            throw new DataFormatException(path, 0, LevelsKey, $"'{Meta(LevelsKey)}' is not a level count in 1..64.");
        var cards = Meta(CardinalitiesKey).Split(',');
        if (cards.Length != levels + 1)
            throw new DataFormatException(path, 0, CardinalitiesKey, $"{cards.Length} cardinalities for {levels} levels + the disambiguation column.");
        var cardinalities = new int[cards.Length];
        for (int c = 0; c < cards.Length; c++)
            if (!int.TryParse(cards[c], NumberStyles.None, CultureInfo.InvariantCulture, out cardinalities[c]) || cardinalities[c] < 1)
                throw new DataFormatException(path, 0, CardinalitiesKey, $"'{cards[c]}' is not a positive count.");
        if (t.RowCount > int.MaxValue / (levels + 1)) throw new DataFormatException(path, 0, null, $"{t.RowCount} rows is too many.");
        int n = (int)t.RowCount;
        if (n < 1) throw new DataFormatException(path, 0, null, "no items.");
        if (expectedItems is { } e && e != n)
            throw new DataFormatException(path, 0, "item", $"the codes file has {n} items, the dataset has {e}; it was built for another catalog.");
        var items = t.Int32("item");
        int w = levels + 1;
        var codes = new int[n * w];
        var filled = new bool[n];
        for (int r = 0; r < n; r++)
        {
            int i = items[r];
            if ((uint)i >= (uint)n) throw new DataFormatException(path, r + 1, "item", $"item {i} is outside 0..{n - 1}.");
            if (filled[i]) throw new DataFormatException(path, r + 1, "item", $"item {i} appears twice.");
            filled[i] = true;
        }
        for (int c = 0; c < w; c++)
        {
            var name = ColumnName(c, w);
            var col = t.Int32(name);
            for (int r = 0; r < n; r++)
            {
                if ((uint)col[r] >= (uint)cardinalities[c])
                    throw new DataFormatException(path, r + 1, name, $"code {col[r]} is outside 0..{cardinalities[c] - 1}.");
                codes[items[r] * w + c] = col[r];
            }
        }
        string method = Meta(MethodKey);
        try { return new SemanticIdCodes(n, cardinalities, codes, method); }
        catch (ArgumentException ex) { throw new DataFormatException(path, 0, null, ex.Message, ex); }
    }

    /// <summary>Column name of tuple column <paramref name="c"/> of <paramref name="width"/>: c1 … cL, then dedup.</summary>
    public static string ColumnName(int c, int width) => c == width - 1 ? "dedup" : $"c{c + 1}";

    private readonly struct TupleKey(int[] data, int offset, int length) : IEquatable<TupleKey>
    {
        public bool Equals(TupleKey o) => data.AsSpan(offset, length).SequenceEqual(o.Data.AsSpan(o.Offset, o.Length));
        public override bool Equals(object? obj) => obj is TupleKey k && Equals(k);
        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var v in data.AsSpan(offset, length)) h.Add(v);
            return h.ToHashCode();
        }
        private int[] Data => data;
        private int Offset => offset;
        private int Length => length;
    }
}
