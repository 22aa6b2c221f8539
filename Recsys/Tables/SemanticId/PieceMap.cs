namespace Recsys.Tables.SemanticId;

/// <summary>
/// Which shared rows make up each id's vector: <see cref="Count"/> ids, each with a list of 1 … <see cref="MaxPieces"/>
/// rows in 0..<see cref="Rows"/>-1 (CSR: the rows of id i are <c>Flat[Offsets[i]..Offsets[i+1]]</c>).
/// </summary>
public sealed class PieceMap
{
    private readonly int[] _offsets;
    private readonly int[] _flat;

    /// <param name="offsets">Length Count + 1, non-decreasing, from 0; every id has at least one piece.</param>
    /// <param name="flat">Rows of all ids, concatenated.</param>
    /// <param name="rows">Rows the pieces index.</param>
    public PieceMap(int[] offsets, int[] flat, int rows)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(flat);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1, nameof(rows));
        if (offsets.Length < 2 || offsets[0] != 0 || offsets[^1] != flat.Length)
            throw new ArgumentException("offsets must start at 0, end at the number of pieces and cover at least one id.", nameof(offsets));
        int max = 0;
        for (int i = 0; i + 1 < offsets.Length; i++)
        {
            int n = offsets[i + 1] - offsets[i];
            if (n < 1) throw new ArgumentException($"id {i} has no piece.", nameof(offsets));
            max = Math.Max(max, n);
        }
        foreach (var r in flat)
            if ((uint)r >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(flat), r, $"a piece row is outside 0..{rows - 1}.");
        _offsets = offsets; _flat = flat; Rows = rows; MaxPieces = max;
    }

    public int Count => _offsets.Length - 1;
    public int Rows { get; }
    public int MaxPieces { get; }
    public ReadOnlySpan<int> Of(int id) => _flat.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);

    /// <summary>A map where every id has exactly <paramref name="k"/> pieces: <paramref name="rowMajor"/> is [count, k].</summary>
    public static PieceMap Fixed(int[] rowMajor, int k, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(k));
        var offsets = new int[rowMajor.Length / k + 1];
        for (int i = 1; i < offsets.Length; i++) offsets[i] = i * k;
        return new PieceMap(offsets, rowMajor, rows);
    }

    /// <summary>An <see cref="Append"/> entry for an id that gets no extra row.</summary>
    public const int None = -1;

    /// <summary>
    /// Each id's pieces followed by <paramref name="extra"/>[id] + <see cref="Rows"/> (rows appended after these), or by
    /// nothing where <paramref name="extra"/>[id] is <see cref="None"/>.
    /// </summary>
    public PieceMap Append(int[] extra, int extraRows)
    {
        if (extra.Length != Count) throw new ArgumentException($"{extra.Length} extra rows for {Count} ids.", nameof(extra));
        var offsets = new int[Count + 1];
        var flat = new int[_flat.Length + extra.Count(e => e != None)];
        for (int i = 0; i < Count; i++)
        {
            var p = Of(i);
            p.CopyTo(flat.AsSpan(offsets[i]));
            offsets[i + 1] = offsets[i] + p.Length;
            if (extra[i] == None) continue;
            if ((uint)extra[i] >= (uint)extraRows) throw new ArgumentOutOfRangeException(nameof(extra), extra[i], $"id {i}'s extra row is outside 0..{extraRows - 1}.");
            flat[offsets[i + 1]++] = Rows + extra[i];
        }
        return new PieceMap(offsets, flat, Rows + Math.Max(extraRows, 0));
    }
}
