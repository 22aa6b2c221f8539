using System.Runtime.InteropServices;

namespace Recsys.Graphs;

/// <summary>
/// A dense Rows × Cols float matrix stored as column tiles: the columns are cut into ⌈Cols / 16⌉ tiles of
/// <see cref="TileWidth"/> = 16 (the last one zero-padded), and tile t holds its [Rows, 16] slab row-major and
/// contiguous, so row r of tile t is one 64-byte cache line at 64-byte alignment. Element (r, c) lives at
/// tile c / 16, offset r · 16 + c % 16.
/// </summary>
/// <remarks>
/// Why: a product A X with a sparse A gathers whole rows of X. Row-major, a 512-wide X of a 10k-node graph is 21 MB and
/// every gather misses the L2; one tile of it is Rows · 64 B (660 KB for 10k rows), which stays in L2 while the CSR
/// arrays stream past, and a tile row is exactly one aligned line and one Vector512. Memory is native (not GC) so
/// that alignment holds; it is not cleared on allocation. Dispose frees it.
/// </remarks>
public sealed unsafe class ColumnTiledMatrix : IDisposable
{
    /// <summary>Columns per tile: one 64-byte cache line of floats.</summary>
    public const int TileWidth = 16;

    private float* _data;
    private readonly long _bytes;

    /// <summary>Allocates an uninitialised Rows × Cols matrix (contents undefined until written).</summary>
    public ColumnTiledMatrix(int rows, int cols)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "must be non-negative.");
        if (cols <= 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "must be positive.");
        if ((long)rows * TileWidth > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(rows), rows, "a tile would exceed 2³¹ floats.");
        Rows = rows; Cols = cols; Tiles = (cols + TileWidth - 1) / TileWidth;
        nuint bytes = (nuint)Math.Max(1L, (long)rows * Tiles * TileWidth * sizeof(float));
        // Large buffers are huge-page aligned and offered as transparent huge pages (see HugePages for why).
        bool huge = bytes >= HugePages.Size;
        if (huge) bytes = (bytes + HugePages.Size - 1) & ~(nuint)(HugePages.Size - 1);
        _data = (float*)NativeMemory.AlignedAlloc(bytes, huge ? (nuint)HugePages.Size : 64);
        if (huge) HugePages.Advise(_data, (long)bytes);
        _bytes = (long)bytes;
        GC.AddMemoryPressure(_bytes);
    }

    public int Rows { get; }
    public int Cols { get; }
    /// <summary>Number of column tiles, ⌈Cols / 16⌉.</summary>
    public int Tiles { get; }

    /// <summary>Tile t as a span of Rows · 16 floats (row r at r · 16); padding columns past Cols are included.</summary>
    public Span<float> Tile(int t)
    {
        if ((uint)t >= (uint)Tiles) throw new ArgumentOutOfRangeException(nameof(t), t, $"must be in 0..{Tiles - 1}.");
        return new Span<float>(TilePointer(t), Rows * TileWidth);
    }

    /// <summary>
    /// Start of tile t (64-byte aligned), for kernels. Tiles are contiguous: tile t starts at TilePointer(0) + t · Rows · 16.
    /// Valid until Dispose; the caller keeps this object alive while using it.
    /// </summary>
    public float* TilePointer(int t)
    {
        ObjectDisposedException.ThrowIf(_data == null, this);
        if ((uint)t > (uint)Tiles) throw new ArgumentOutOfRangeException(nameof(t), t, $"must be in 0..{Tiles}.");
        return _data + (long)t * Rows * TileWidth;
    }

    /// <summary>Element (r, c).</summary>
    public float this[int r, int c]
    {
        get
        {
            if ((uint)r >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(r));
            if ((uint)c >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(c));
            return TilePointer(c / TileWidth)[(long)r * TileWidth + c % TileWidth];
        }
    }

    /// <summary>Copies a row-major [rows, cols] array in (padding columns set to zero).</summary>
    public static ColumnTiledMatrix FromRowMajor(ReadOnlySpan<float> x, int rows, int cols)
    {
        if (x.Length < (long)rows * cols) throw new ArgumentException($"x has {x.Length} values, needs {(long)rows * cols}.");
        var m = new ColumnTiledMatrix(rows, cols);
        for (int t = 0; t < m.Tiles; t++)
        {
            var tile = m.Tile(t);
            int c0 = t * TileWidth, w = Math.Min(TileWidth, cols - c0);
            for (int r = 0; r < rows; r++)
            {
                var dst = tile.Slice(r * TileWidth, TileWidth);
                x.Slice(r * cols + c0, w).CopyTo(dst);
                dst[w..].Clear();
            }
        }
        return m;
    }

    /// <summary>Copies out to a row-major [Rows, Cols] array (padding dropped).</summary>
    public void CopyToRowMajor(Span<float> y)
    {
        if (y.Length < (long)Rows * Cols) throw new ArgumentException($"y has {y.Length} values, needs {(long)Rows * Cols}.");
        for (int t = 0; t < Tiles; t++)
        {
            var tile = Tile(t);
            int c0 = t * TileWidth, w = Math.Min(TileWidth, Cols - c0);
            for (int r = 0; r < Rows; r++) tile.Slice(r * TileWidth, w).CopyTo(y.Slice(r * Cols + c0, w));
        }
    }

    public void Dispose()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
        GC.RemoveMemoryPressure(_bytes);
        GC.SuppressFinalize(this);
    }

    ~ColumnTiledMatrix()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        GC.RemoveMemoryPressure(_bytes);
    }
}
