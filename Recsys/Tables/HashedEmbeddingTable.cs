using static TorchSharp.torch;

namespace Recsys.Tables;

/// <summary>
/// A compressed table: <see cref="Rows"/> trainable rows shared by <see cref="Count"/> ids through k fixed id → row
/// maps, and an id's vector is the sum of its k rows (k = 1: GraphHash, modulo, frequency, LSH; k = 2: double
/// hashing and DoubleGraphHash, as in the GraphHash code, where both hash functions index one shared table).
/// The maps are computed once by the spec and kept as an int64 buffer [k, Count] (so they move with the module
/// and are saved beside the weights); gradients flow into the shared rows only.
/// </summary>
public sealed class HashedEmbeddingTable : EmbeddingTable
{
    private readonly FullEmbeddingTable rows;
    private readonly Tensor row_map;
    private readonly int _hashes;

    /// <param name="maps">k ≥ 1 maps, each of length <c>count</c> with values in 0..<paramref name="rowCount"/>-1.</param>
    /// <param name="rowCount">Number of shared rows (B).</param>
    /// <param name="dim">Embedding dimension.</param>
    /// <param name="init">Initialisation of the shared rows.</param>
    /// <param name="std">Standard deviation of the normal initialisation.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    public HashedEmbeddingTable(IReadOnlyList<int[]> maps, int rowCount, int dim, TableInit init = TableInit.Normal, double std = 0.1, ulong seed = 0)
        : base(nameof(HashedEmbeddingTable))
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentOutOfRangeException(nameof(maps), "needs at least one id → row map.");
        int count = maps[0].Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(maps));
        var flat = new long[maps.Count * count];
        for (int k = 0; k < maps.Count; k++)
        {
            if (maps[k].Length != count) throw new ArgumentOutOfRangeException(nameof(maps), "all maps must have one entry per id.");
            for (int i = 0; i < count; i++)
            {
                int r = maps[k][i];
                if ((uint)r >= (uint)rowCount) throw new ArgumentOutOfRangeException(nameof(maps), r, $"row of id {i} is outside 0..{rowCount - 1}.");
                flat[k * count + i] = r;
            }
        }
        Count = count; Dim = dim; Rows = rowCount; _hashes = maps.Count;
        rows = new FullEmbeddingTable(rowCount, dim, init, std, seed);
        row_map = tensor(flat, [maps.Count, count]);
        RegisterComponents();
    }

    public override int Count { get; }
    public override int Dim { get; }

    /// <summary>Number of trainable rows (B ≤ the requested budget).</summary>
    public override int Rows { get; }

    /// <summary>The id → row maps as arrays: [k][Count].</summary>
    public int[][] Maps()
    {
        var m = Map().cpu().data<long>().ToArray();
        return Enumerable.Range(0, _hashes).Select(k => m.AsSpan(k * Count, Count).ToArray().Select(v => (int)v).ToArray()).ToArray();
    }

    public override Tensor Lookup(Tensor ids)
    {
        var map = Map();
        if (_hashes == 1) return rows.Lookup(map[0].index_select(0, ids));
        var idx = map.index_select(1, ids).reshape(-1);                   // [k·n]
        return rows.Lookup(idx).view(_hashes, -1, Dim).sum(0L, keepdim: false);           // Σ_k W[map_k[id]]
    }

    public override Tensor All()
    {
        var map = Map();
        if (_hashes == 1) return rows.Lookup(map[0]);
        return rows.Lookup(map.reshape(-1)).view(_hashes, Count, Dim).sum(0L, keepdim: false);
    }

    // Read through the module's buffer table: Module.to(device) replaces registered buffers.
    private Tensor Map() => named_buffers().First(b => b.name == nameof(row_map)).buffer;
}
