using Recsys.Data;
using Recsys.Tables;
using Recsys.Graphs;
using Recsys.Models.Propagation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// NGCF (Wang et al., SIGIR 2019), the paper's layer:
/// E' = LeakyReLU((L + I) E W1 + b1 + (L E ⊙ E) W2 + b2), L = D^-1/2 A D^-1/2,
/// then message dropout on E' (which feeds the next layer) and row L2 normalisation of the copy that is kept;
/// final embedding = concatenation of layer 0 and every normalised layer. "Node dropout" drops entries of L
/// with probability p and scales the rest by 1/(1-p), as the official code does. W1, W2 Xavier-uniform, biases 0.
/// </summary>
public sealed class Ngcf : RecommenderModel
{
    private readonly GraphPropagator _graph;
    private readonly NgcfOptions _o;
    private readonly EdgeDropout _edgeDropout;
    private readonly SeededDropout _dropout;
    private readonly ModuleList<Linear> w1 = new();
    private readonly ModuleList<Linear> w2 = new();

    public Ngcf(NgcfOptions options, InteractionMatrix train, ulong seed, ITableGraphSource? graph = null) : base("NGCF", options, train, seed, graph)
    {
        _o = options;
        _graph = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(train), symmetric: true, options.Propagation);
        _edgeDropout = new EdgeDropout(_graph);
        _dropout = new SeededDropout(DeriveSeed(seed, 3));
        int din = options.Dim;
        using var init = new Generator(DeriveSeed(seed, 4), CPU);
        foreach (var dout in options.LayerDims)
        {
            w1.Add(SeededLayers.GlorotLinear(din, dout, init));
            w2.Add(SeededLayers.GlorotLinear(din, dout, init));
            din = dout;
        }
        RegisterComponents();
    }

    public override string Kind => "ngcf";

    public override byte[]? SaveRandomState() => _dropout.SaveState();

    public override void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    public override Tensor Loss(BprBatch batch, double reg)
    {
        Tensor all;
        using (Recsys.Training.StepProfile.Time("  propagate (all nodes)")) all = Propagate();
        var u = all.index_select(0, batch.UserIds);
        var p = all.index_select(0, batch.PositiveIds + NumUsers);
        var n = all.index_select(0, batch.NegativeIds + NumUsers);
        return BprLoss.Compute(u, p, n,
            user_table.Lookup(batch.UserIds), item_table.Lookup(batch.PositiveIds), item_table.Lookup(batch.NegativeIds), reg);
    }

    protected override (Tensor Users, Tensor Items) Final()
    {
        var all = Propagate();
        return (all.narrow(0, 0, NumUsers), all.narrow(0, NumUsers, NumItems));
    }

    /// <summary>Concatenated layer embeddings of every node [N, Dim + Σ LayerDims].</summary>
    private Tensor Propagate()
    {
        var e = NodeEmbeddings();
        DroppedAdjacency? dropped = null;
        using (Recsys.Training.StepProfile.Time("    edge dropout"))
            if (training && _o.NodeDropout > 0) dropped = _edgeDropout.Sample(_o.NodeDropout, _dropout.Generator, e.device);
        var layers = new List<Tensor> { e };
        for (int k = 0; k < w1.Count; k++)
        {
            var side = dropped?.Multiply(e) ?? _graph.Multiply(e);      // L E
            var sum = w1[k].forward(side + e);                           // (L + I) E W1 + b1
            var bi = w2[k].forward(side * e);                            // (L E ⊙ E) W2 + b2
            e = nn.functional.leaky_relu(sum + bi, _o.LeakySlope);
            if (training && _o.MessageDropout > 0) e = _dropout.Apply(e, _o.MessageDropout);
            layers.Add(nn.functional.normalize(e, p: 2, dim: 1));
        }
        return cat(layers, 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _graph.Dispose(); _dropout.Dispose(); }
        base.Dispose(disposing);
    }
}
