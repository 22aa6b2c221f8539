using Recsys.Graphs;
using Recsys.Models.Propagation;
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

    public LightGcn(LightGcnOptions options, ModelInputs inputs, ulong seed) : base("LightGCN", options, inputs, seed)
    {
        _layers = options.Layers;
        _graph = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(inputs.Train), symmetric: true, options.Propagation);
        _nodes = new BatchNodes(NumUsers, NumUsers + NumItems);
        double? scale = options.IsolatedScale ?? (options.KeepIsolated ? 1.0 : null);
        _isolatedScale = scale ?? 1;
        _isolated = scale is not null && _layers > 0 ? IsolatedNodes(_graph.Adjacency) : [];
        RegisterComponents();
    }

    public override string Kind => "lightgcn";

    public override Tensor BprLoss(BprBatch batch, double reg) => BatchNodesLoss(batch, reg, _nodes, rows =>
    {
        Tensor e0;
        using (StepProfile.Time("    node table (cat)")) e0 = NodeEmbeddings();
        return _graph.LayerMeanRows(e0, rows, _layers);
    });

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
