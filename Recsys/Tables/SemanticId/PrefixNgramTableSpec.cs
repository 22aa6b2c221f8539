using Recsys.Data.SemanticIds;

namespace Recsys.Tables.SemanticId;

/// <summary>
/// Prefix n-gram semantic-ID table: a row per prefix (c1), (c1,c2), …, (c1…cL) that occurs in the codes, and item i's
/// vector is the sum of its L prefixes' rows, so items agreeing on the coarse codes share the coarse rows and only the
/// finer rows tell them apart. With <see cref="Rows"/> set below the number of distinct prefixes, every prefix is hashed
/// (a seeded 64-bit mix of its level and codes) into that many shared rows instead. Rows in the exact case are numbered in
/// order of first appearance (items in id order, levels coarse to fine).
/// </summary>
/// <param name="Codes">Path of the codes file.</param>
/// <param name="CodesSha256">SHA-256 of the codes file.</param>
/// <param name="Rows">Row budget; null = one row per distinct prefix.</param>
public sealed record PrefixNgramTableSpec(string Codes, string CodesSha256, int? Rows = null) : SemanticIdTableSpec(Codes, CodesSha256)
{
    public override PieceMap Pieces(SemanticIdCodes codes, TableContext ctx)
    {
        int l = codes.Levels, w = codes.Width, n = codes.NumItems;
        var all = codes.All;
        // Prefix keys: a 64-bit mix of (level, c1..c_level); exact rows use the key plus a collision check on the codes.
        var rows = new int[n * l];
        var exact = new Dictionary<Prefix, int>();
        for (int i = 0; i < n; i++)
            for (int level = 0; level < l; level++)
            {
                var key = new Prefix(all.Slice(i * w, level + 1).ToArray());
                if (!exact.TryGetValue(key, out int r)) exact[key] = r = exact.Count;
                rows[i * l + level] = r;
            }
        if (Rows is not { } budget || exact.Count <= budget) return PieceMap.Fixed(rows, l, exact.Count);
        ulong seed = UniversalHash.Derive(ctx.Seed, 0);
        var hashed = new int[exact.Count];
        foreach (var (prefix, r) in exact) hashed[r] = (int)(prefix.Hash(seed) % (ulong)budget);
        for (int k = 0; k < rows.Length; k++) rows[k] = hashed[rows[k]];
        return PieceMap.Fixed(rows, l, budget);
    }

    public override int? RowBudget(int ids) => Rows;

    public override void Validate()
    {
        base.Validate();
        if (Rows is < 1) throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "must be at least 1.");
    }

    /// <summary>A prefix c1..cₗ (its length is its level).</summary>
    private sealed class Prefix(int[] codes) : IEquatable<Prefix>
    {
        private readonly int[] _codes = codes;
        public bool Equals(Prefix? o) => o is not null && _codes.AsSpan().SequenceEqual(o._codes);
        public override bool Equals(object? obj) => Equals(obj as Prefix);
        public override int GetHashCode() => (int)Hash(0x9E3779B97F4A7C15UL);

        /// <summary>SplitMix64 chained over the length and the codes, from <paramref name="seed"/>.</summary>
        public ulong Hash(ulong seed)
        {
            ulong h = Mix(seed ^ (ulong)_codes.Length);
            foreach (var c in _codes) h = Mix(h ^ (uint)c);
            return h;
        }

        private static ulong Mix(ulong z)
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
