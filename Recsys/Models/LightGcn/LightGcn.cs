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

    public LightGcn(LightGcnOptions options, ModelInputs inputs, ulong seed) : base("LightGCN", options, inputs, seed)
    {
        _layers = options.Layers;
        _graph = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(inputs.Train), symmetric: true, options.Propagation);
        _nodes = new BatchNodes(NumUsers, NumUsers + NumItems);
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
        var all = _graph.LayerMean(NodeEmbeddings(), _layers);
        return (all.narrow(0, 0, NumUsers), all.narrow(0, NumUsers, NumItems));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _graph.Dispose();
        base.Dispose(disposing);
    }
}
