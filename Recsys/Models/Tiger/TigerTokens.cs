using Recsys.Data.SemanticIds;

namespace Recsys.Models;

/// <summary>
/// TIGER's token vocabulary over a codes file: 0 = padding, 1 = the decoder's start token, then one token per
/// (level, code) with each level (the disambiguation column included) its own range, then one token per user-hash
/// bucket and a last one for a history without a user id. The output layer scores the code tokens only, as
/// <see cref="Output"/> indexes them. Encoder rows are right-aligned: [padding…, user, codes of the oldest kept item …
/// codes of the most recent item], so the most recent item's codes always sit at the same positions.
/// </summary>
public sealed class TigerTokens
{
    public const int Pad = 0, Bos = 1;
    private readonly int[] _offsets;
    private readonly SemanticIdCodes _codes;

    public TigerTokens(SemanticIdCodes codes, int userBuckets, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(codes);
        _codes = codes;
        Width = codes.Width; UserBuckets = userBuckets; MaxItems = maxItems;
        _offsets = new int[Width + 1];
        for (int c = 0; c < Width; c++) _offsets[c + 1] = _offsets[c] + codes.Cardinalities[c];
    }

    /// <summary>Codes per item (decoder steps).</summary>
    public int Width { get; }
    public int UserBuckets { get; }
    public int MaxItems { get; }
    public int NumItems => _codes.NumItems;
    public SemanticIdCodes Codes => _codes;
    /// <summary>Code tokens (the output layer's width): the sum of the cardinalities.</summary>
    public int CodeTokens => _offsets[Width];
    /// <summary>All tokens: padding, start, codes, user buckets, no-user.</summary>
    public int Vocabulary => 2 + CodeTokens + UserBuckets + 1;
    /// <summary>Longest encoder row: the user token and MaxItems items.</summary>
    public int MaxSource => 1 + MaxItems * Width;

    /// <summary>Column of (level, code) in the output layer.</summary>
    public int Output(int level, int code) => _offsets[level] + code;
    /// <summary>First output column of <paramref name="level"/>.</summary>
    public int Offset(int level) => _offsets[level];
    public int Cardinality(int level) => _codes.Cardinalities[level];
    /// <summary>The input token of (level, code).</summary>
    public int Code(int level, int code) => 2 + _offsets[level] + code;

    /// <summary>The token of user <paramref name="user"/> (hashed), or the no-user token for a negative id.</summary>
    public int User(int user)
    {
        if (user < 0) return 2 + CodeTokens + UserBuckets;
        ulong z = (ulong)user + 0x9E3779B97F4A7C15UL;   // splitmix64: neighbouring ids land in unrelated buckets
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return 2 + CodeTokens + (int)(z % (ulong)UserBuckets);
    }

    /// <summary>
    /// Encoder rows [n, S] (row-major) of users[start..start + n) with their histories (item ids, oldest first, cut to
    /// the last MaxItems), S = 1 + Width × the longest kept history; an id outside the catalog throws naming
    /// <paramref name="parameter"/>.
    /// </summary>
    public (long[] Rows, int S) Source(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, int start, int n, string parameter)
    {
        int longest = 0;
        for (int r = 0; r < n; r++) longest = Math.Max(longest, Math.Min(MaxItems, histories[start + r].Length));
        int s = 1 + longest * Width;
        var rows = new long[(long)n * s];
        for (int r = 0; r < n; r++)
        {
            var h = histories[start + r];
            int len = Math.Min(MaxItems, h.Length), from = h.Length - len;
            long row = (long)r * s, at = row + s - len * Width;
            rows[at - 1] = User(users[start + r]);
            for (int j = 0; j < len; j++)
            {
                int item = h[from + j];
                if ((uint)item >= (uint)NumItems)
                    throw new ArgumentOutOfRangeException(parameter, item, $"history {start + r}: item {item} is not in the catalog (0..{NumItems - 1}).");
                var tuple = _codes.Of(item);
                for (int c = 0; c < Width; c++) rows[at + j * Width + c] = Code(c, tuple[c]);
            }
        }
        return (rows, s);
    }
}
