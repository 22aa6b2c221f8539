using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The GRank ranker: one single-head cross-attention layer from each candidate (query Wq·e_c) to the user's last
/// RankerLength items (keys Wk·(e_j + p_j), values Wv·(e_j + p_j), learned positions p, right-aligned so the most
/// recent item has the last position) plus a learned null key/value (so an empty history is defined), then a bilinear
/// score head: score(c) = e_c · (Wo·Σ_j α_cj v_j + b_o) + bias_c. The item vectors e are the generator's item
/// rows (<see cref="SequenceItems"/>, shared, passed in). Each candidate's score depends on the history and on that candidate only. The two-stage score
/// adds the generator's dot product to this term (<see cref="GRank.Loss"/>, <see cref="GRankCandidateRanker"/>).
/// </summary>
public sealed class GRankRanker : nn.Module
{
    private readonly int _dim, _length;
    // Field names are checkpoint keys.
    private readonly Parameter position_embedding;
    private readonly Parameter null_key, null_value;
    private readonly Linear query, key, value, output;
    private readonly Parameter item_bias;

    /// <summary>A ranker with Glorot-uniform weights drawn from a generator seeded by <paramref name="seed"/> and zero item biases.</summary>
    public GRankRanker(GRankOptions o, int numItems, ulong seed) : base("GRankRanker")
    {
        _dim = o.Dim; _length = o.RankerLength;
        using var g = new Generator(seed, CPU);
        position_embedding = new Parameter(SeededLayers.Glorot(o.RankerLength, o.Dim, g));
        null_key = new Parameter(SeededLayers.Glorot(1, o.Dim, g));
        null_value = new Parameter(SeededLayers.Glorot(1, o.Dim, g));
        query = SeededLayers.GlorotLinear(o.Dim, o.Dim, g);
        key = SeededLayers.GlorotLinear(o.Dim, o.Dim, g);
        value = SeededLayers.GlorotLinear(o.Dim, o.Dim, g);
        output = SeededLayers.GlorotLinear(o.Dim, o.Dim, g);
        item_bias = new Parameter(zeros(numItems));
        RegisterComponents();
    }

    /// <summary>Most recent items attended to.</summary>
    public int Length => _length;

    /// <summary>Per-item score biases [NumItems].</summary>
    public Parameter ItemBias => item_bias;

    /// <summary>Candidate queries Wq·e_c [C, Dim] of item vectors [C, Dim].</summary>
    public Tensor Queries(Tensor itemVectors) => query.forward(itemVectors);

    /// <summary>
    /// Keys [B, L + 1, Dim], score values U = Wo·v + b_o [B, L + 1, Dim] and the padding mask [B, 1, L + 1] (true =
    /// masked) of left-padded history rows [B, L] (int64, 0 = padding, L ≤ RankerLength) over item rows
    /// <paramref name="items"/>; slot 0 is the null key.
    /// </summary>
    public (Tensor Keys, Tensor Values, Tensor Mask) Memory(SequenceItems items, Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(items);
        long b = rows.shape[0], l = rows.shape[1];
        if (l < 1 || l > _length) throw new ArgumentOutOfRangeException(nameof(rows), l, $"history length must be in 1..{_length}.");
        var h = items.Rows(rows.flatten()).view(b, l, _dim) + position_embedding.narrow(0, _length - l, l);
        var k = cat([null_key.view(1, 1, _dim).expand(b, 1, _dim), key.forward(h)], 1);
        var u = output.forward(cat([null_value.view(1, 1, _dim).expand(b, 1, _dim), value.forward(h)], 1));
        var mask = cat([zeros(b, 1, dtype: ScalarType.Bool, device: rows.device), rows.eq(0)], 1).unsqueeze(1);
        return (k, u, mask);
    }

    /// <summary>
    /// Scores [B, C] of candidates with queries q, item vectors e ([C, Dim] shared by the batch, or [B, C, Dim]) and biases ([C] or [B, C]) against the memory
    /// of <see cref="Memory"/>: α = softmax(q·kᵀ/√Dim) over unmasked slots, score = Σ α (e·u) + bias.
    /// </summary>
    public static Tensor Score(Tensor q, Tensor e, Tensor bias, Tensor keys, Tensor values, Tensor mask)
    {
        int dim = (int)q.shape[^1];
        var alpha = q.matmul(keys.transpose(1, 2)).div(Math.Sqrt(dim)).masked_fill(mask, double.NegativeInfinity).softmax(-1);   // [B, C, L + 1]
        var z = e.matmul(values.transpose(1, 2));                                     // [B, C, L + 1]
        return (alpha * z).sum(-1) + bias;
    }

    /// <summary>Scores [B, C] of candidate items [C] (int64 ids) for history rows [B, L] over item rows <paramref name="items"/>.</summary>
    public Tensor Scores(SequenceItems items, Tensor rows, Tensor candidates)
    {
        ArgumentNullException.ThrowIfNull(items);
        var e = items.Lookup(candidates);
        var (k, u, mask) = Memory(items, rows);
        return Score(Queries(e), e, item_bias.index_select(0, candidates), k, u, mask);
    }
}
