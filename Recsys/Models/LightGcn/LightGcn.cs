using Recsys.Graphs;
using Recsys.Models.Propagation;
using Recsys.Tables;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// LightGCN (He et al., SIGIR 2020): E^(l+1) = Â E^(l) with Â = D^-1/2 A D^-1/2 of the user-item bipartite
/// graph, no feature transform and no nonlinearity; final embedding = mean of layers 0..L. BPR loss with L2 on
/// the layer-0 rows (see <see cref="BprLoss"/>). A training step propagates only what the batch's nodes need
/// (<see cref="GraphPropagator.LayerMeanRows"/>), which gives the same loss and gradients as full propagation.
/// </summary>
public sealed class LightGcn : RecommenderModel
{
    private readonly GraphPropagator _graph;
    private readonly BatchNodes _nodes;
    private readonly int _layers;
    private readonly long[] _isolated;
    private readonly double _isolatedScale;
    private readonly double _coldDropout;
    private readonly IContentRows? _content;
    private Xoshiro256 _coldRng;

    public LightGcn(LightGcnOptions options, ModelInputs inputs, ulong seed) : base("LightGCN", options, inputs, seed)
    {
        _layers = options.Layers;
        _graph = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(inputs.Train), symmetric: true, options.Propagation);
        _nodes = new BatchNodes(NumUsers, NumUsers + NumItems);
        double? scale = options.IsolatedScale ?? (options.KeepIsolated ? 1.0 : null);
        // What an item without edges is scored by in Final(): scale × its layer-0 row, by default the layer mean's 1/(L+1).
        _isolatedScale = scale ?? 1.0 / (_layers + 1);
        _isolated = scale is not null && _layers > 0 ? IsolatedNodes(_graph.Adjacency) : [];
        _coldDropout = options.ColdDropout;
        if (_coldDropout > 0)
        {
            _content = item_table as IContentRows ?? throw new ArgumentOutOfRangeException(nameof(LightGcnOptions.ColdDropout), _coldDropout,
                "needs an item table with content rows (sid:unigram, sid:ngram, sid:pieces or sid:hybrid): a new item is scored by those.");
            _coldRng = new Xoshiro256(DeriveSeed(seed, 3));
        }
        RegisterComponents();
    }

    public override string Kind => "lightgcn";

    public override Tensor BprLoss(BprBatch batch, double reg) => BatchNodesLoss(batch, reg, _nodes, rows =>
    {
        Tensor e0;
        using (StepProfile.Time("    node table (cat)")) e0 = NodeEmbeddings();
        return _graph.LayerMeanRows(e0, rows, _layers);
    }, _coldDropout > 0 ? AsNewItems : null);

    /// <summary>Each item of the batch, with probability <see cref="LightGcnOptions.ColdDropout"/>, as a new item is scored.</summary>
    private Tensor AsNewItems(Tensor ids, Tensor final)
    {
        var drop = new bool[ids.shape[0]];
        bool any = false;
        for (int i = 0; i < drop.Length; i++) any |= drop[i] = _coldRng.NextDouble() < _coldDropout;
        if (!any) return final;
        using var mask = tensor(drop, device: final.device).unsqueeze(1);
        using var content = _content!.ContentLookup(ids);
        using var cold = content.mul(KeptScalars.Of(_isolatedScale));
        return where(mask, cold, final);
    }

    public override byte[]? SaveRandomState() => _coldDropout > 0 ? _coldRng.ToBytes() : null;

    public override void RestoreRandomState(byte[] state) { if (_coldDropout > 0) _coldRng = Xoshiro256.FromBytes(state, "LightGCN's cold-dropout state"); }

    protected override (Tensor Users, Tensor Items) Final()
    {
        var e0 = NodeEmbeddings();
        var all = _graph.LayerMean(e0, _layers);
        if (_isolated.Length > 0)
        {
            using var idx = tensor(_isolated, device: e0.device);
            using var rows = e0.index_select(0, idx);
            using var scaled = rows.mul(_isolatedScale); // × 1 is exact: keep stays its layer-0 row
            all = all.index_copy(0, idx, scaled);
        }
        return (all.narrow(0, 0, NumUsers), all.narrow(0, NumUsers, NumItems));
    }

    private static long[] IsolatedNodes(Recsys.Graphs.CsrMatrix adjacency)
    {
        var nodes = new List<long>();
        for (int i = 0; i < adjacency.Rows; i++)
            if (adjacency.RowPtr[i + 1] == adjacency.RowPtr[i]) nodes.Add(i);
        return [.. nodes];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _graph.Dispose();
        base.Dispose(disposing);
    }
}
