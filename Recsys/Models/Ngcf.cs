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
    private readonly int[] _transposeAt;
    // Edge-dropout buffers reused by every training step (three 1.6M-float arrays per step on Gowalla churned the
    // large-object heap); a step's dropped matrices are dead once its backward has run.
    private float[]? _keep, _dropped, _droppedT;
    private readonly SeededDropout _dropout;
    private readonly ModuleList<Linear> w1 = new();
    private readonly ModuleList<Linear> w2 = new();

    public Ngcf(NgcfOptions options, InteractionMatrix train, ulong seed, ITableGraphSource? graph = null) : base("NGCF", options, train, seed, graph)
    {
        _o = options;
        _graph = new GraphPropagator(AdjacencyBuilder.SymmetricNormalized(train), symmetric: true, options.Propagation);
        _transposeAt = TransposePositions(_graph.Adjacency);
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
        CsrMatrix a, aT;
        using (Recsys.Training.StepProfile.Time("    edge dropout"))
            (a, aT) = training && _o.NodeDropout > 0 ? DropEdges(_o.NodeDropout) : (_graph.Adjacency, _graph.Transposed);
        var layers = new List<Tensor> { e };
        for (int k = 0; k < w1.Count; k++)
        {
            var side = _graph.Multiply(e, a, aT);                       // L E
            var sum = w1[k].forward(side + e);                           // (L + I) E W1 + b1
            var bi = w2[k].forward(side * e);                            // (L E ⊙ E) W2 + b2
            e = nn.functional.leaky_relu(sum + bi, _o.LeakySlope);
            if (training && _o.MessageDropout > 0) e = _dropout.Apply(e, _o.MessageDropout);
            layers.Add(nn.functional.normalize(e, p: 2, dim: 1));
        }
        return cat(layers, 1);
    }

    /// <summary>Â with each entry kept with probability 1-p and scaled by 1/(1-p), and its transpose. Draws from the model's dropout generator.</summary>
    private (CsrMatrix A, CsrMatrix AT) DropEdges(double p)
    {
        var adj = _graph.Adjacency;
        var keep = _keep ??= new float[adj.NonZeros];
        using (var r = rand(adj.NonZeros, generator: _dropout.Generator)) TensorMemory.Floats(r).CopyTo(keep);
        float scale = (float)(1 / (1 - p));
        var v = _dropped ??= new float[adj.NonZeros];
        var vt = _droppedT ??= new float[adj.NonZeros];
        for (int k = 0; k < v.Length; k++)
        {
            v[k] = keep[k] >= p ? adj.Values[k] * scale : 0f;
            vt[_transposeAt[k]] = v[k];
        }
        var t = _graph.Transposed;
        return (new CsrMatrix(adj.Rows, adj.Cols, adj.RowPtr, adj.ColIdx, v), new CsrMatrix(t.Rows, t.Cols, t.RowPtr, t.ColIdx, vt));
    }

    /// <summary>For a matrix whose sparsity pattern is symmetric: position of entry (c, r) for each stored entry (r, c).</summary>
    private static int[] TransposePositions(CsrMatrix a)
    {
        var at = new int[a.NonZeros];
        for (int r = 0; r < a.Rows; r++)
            for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++)
            {
                int c = a.ColIdx[k];
                int j = Array.BinarySearch(a.ColIdx, a.RowPtr[c], a.RowPtr[c + 1] - a.RowPtr[c], r);
                if (j < 0) throw new ArgumentException("adjacency pattern is not symmetric.");
                at[k] = j;
            }
        return at;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _graph.Dispose(); _dropout.Dispose(); }
        base.Dispose(disposing);
    }
}
