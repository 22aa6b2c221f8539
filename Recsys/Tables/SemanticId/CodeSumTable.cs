using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tables.SemanticId;

/// <summary>
/// A table whose id vectors are sums of shared rows: id i is Σ W[r] over its pieces r (at most <see cref="PiecesPerId"/>,
/// fewer where a piece list is shorter) — the form of every semantic-ID table (unigram, prefix n-gram, learned pieces,
/// hybrid). The piece lists are fixed at construction and kept as buffers (an int64 [Count, K] row map and a float32
/// [Count, K] 0/1 mask for ragged lists), so they move with the module; gradients reach the shared rows only.
/// Rows below <see cref="ContentRows"/> come from the ids' codes; rows from there on memorise single ids (a hybrid
/// table's ID rows), and <see cref="ContentLookup"/> leaves them out.
/// </summary>
public sealed class CodeSumTable : EmbeddingTable, IContentRows
{
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly Tensor piece_rows;
    private readonly Tensor piece_mask;
    private readonly bool _ragged;

    /// <param name="pieces">The rows of every id.</param>
    /// <param name="dim">Row width.</param>
    /// <param name="init">Normal(0, std²/K) or Glorot uniform over a [Count, Dim] matrix scaled by 1/√K, so a sum of K rows
    /// starts at the scale of the full table it replaces.</param>
    /// <param name="std">Standard deviation of one full-table row under <see cref="TableInit.Normal"/>.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <param name="contentRows">Shared rows that come from codes (the first ones); null = all of them.</param>
    public CodeSumTable(PieceMap pieces, int dim, TableInit init, double std, ulong seed, int? contentRows = null) : base(nameof(CodeSumTable))
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1, nameof(dim));
        if (contentRows is < 1 || contentRows > pieces.Rows)
            throw new ArgumentOutOfRangeException(nameof(contentRows), contentRows, $"must be in 1..{pieces.Rows}.");
        Count = pieces.Count; Dim = dim; Rows = pieces.Rows; PiecesPerId = pieces.MaxPieces;
        ContentRows = contentRows ?? pieces.Rows;
        int k = PiecesPerId;
        var map = new long[(long)Count * k];
        var mask = new float[(long)Count * k];
        for (int i = 0; i < Count; i++)
        {
            var p = pieces.Of(i);
            for (int j = 0; j < p.Length; j++) { map[i * k + j] = p[j]; mask[i * k + j] = 1; }
            _ragged |= p.Length < k;
        }
        var w = empty(Rows, dim);
        using (no_grad())
        using (var g = new Generator(seed, CPU))
        {
            double scale = 1 / Math.Sqrt(k);
            if (init == TableInit.Normal) w.normal_(0, std * scale, g);
            else { double b = Math.Sqrt(6.0 / (Count + dim)) * scale; w.uniform_(-b, b, g); }
        }
        weight = new TorchSharp.Modules.Parameter(w);
        piece_rows = tensor(map, [Count, k]);
        piece_mask = tensor(mask, [Count, k]);
        RegisterComponents();
    }

    public override int Count { get; }
    public override int Dim { get; }
    /// <summary>Shared trainable rows.</summary>
    public override int Rows { get; }
    /// <summary>Longest piece list (K).</summary>
    public int PiecesPerId { get; }
    /// <summary>Shared rows 0..ContentRows-1 come from codes; the rest memorise single ids.</summary>
    public int ContentRows { get; }

    public override Tensor Lookup(Tensor ids) => Sum(Buffer(nameof(piece_rows)).index_select(0, ids), _ragged ? Buffer(nameof(piece_mask)).index_select(0, ids) : null);

    public override Tensor All() => Sum(Buffer(nameof(piece_rows)), _ragged ? Buffer(nameof(piece_mask)) : null);

    /// <summary>The sum over an id's code pieces only (rows below <see cref="ContentRows"/>); equal to <see cref="Lookup"/> where no row memorises.</summary>
    public Tensor ContentLookup(Tensor ids)
    {
        if (ContentRows == Rows) return Lookup(ids);
        var rows = Buffer(nameof(piece_rows)).index_select(0, ids);
        var content = rows.lt(KeptScalars.Of((long)ContentRows)).to_type(ScalarType.Float32);
        return Sum(rows, _ragged ? content * Buffer(nameof(piece_mask)).index_select(0, ids) : content);
    }

    /// <summary>The piece rows of every id (padding dropped), copied out.</summary>
    public int[][] Pieces()
    {
        var map = Buffer(nameof(piece_rows)).cpu().data<long>().ToArray();
        var mask = Buffer(nameof(piece_mask)).cpu().data<float>().ToArray();
        int k = PiecesPerId;
        return Enumerable.Range(0, Count).Select(i => Enumerable.Range(0, k).Where(j => mask[i * k + j] != 0).Select(j => (int)map[i * k + j]).ToArray()).ToArray();
    }

    private Tensor Sum(Tensor rows, Tensor? mask)
    {
        long n = rows.shape[0];
        var v = weight.index_select(0, rows.reshape(-1)).view(n, PiecesPerId, Dim);
        if (mask is not null) v = v * mask.unsqueeze(-1);
        return v.sum(1L, keepdim: false);
    }

    // Read through the module's buffer table: Module.to(device) replaces registered buffers.
    private Tensor Buffer(string name) => named_buffers().First(b => b.name == name).buffer;
}
