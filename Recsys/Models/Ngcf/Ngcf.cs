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
/// <see cref="NgcfOptions.Variant"/> = <see cref="NgcfVariant.Code"/> or <see cref="NgcfVariant.TensorFlow"/> builds
/// the authors' code's layer instead.
/// </summary>
public sealed class Ngcf : RecommenderModel
{
    private readonly GraphPropagator _graph;
    private readonly NgcfOptions _o;
    private readonly NgcfForm _form;
    private readonly EdgeDropout _edgeDropout;
    private readonly BatchNodes _nodes;
    private readonly DropoutStream _dropout;
    private readonly NgcfWorkspace _workspace = new();
    private readonly ModuleList<Linear> w1 = new();
    private readonly ModuleList<Linear> w2 = new();

    public Ngcf(NgcfOptions options, ModelInputs inputs, ulong seed) : base("NGCF", options, inputs, seed)
    {
        _o = options;
        _form = NgcfForm.Of(options.Variant, (float)options.LeakySlope);
        bool paper = options.Variant == NgcfVariant.Paper;
        _graph = new GraphPropagator(paper ? AdjacencyBuilder.SymmetricNormalized(inputs.Train) : AdjacencyBuilder.TransitionWithSelfLoops(inputs.Train),
                                     symmetric: paper, options.Propagation);
        _edgeDropout = new EdgeDropout(_graph);
        _nodes = new BatchNodes(NumUsers, NumUsers + NumItems);
        _dropout = new DropoutStream(DeriveSeed(seed, 3));
        int din = options.Dim;
        using var init = new Generator(DeriveSeed(seed, 4), CPU);
        foreach (var dout in options.LayerDims)
        {
            w1.Add(SeededLayers.GlorotLinear(din, dout, init, glorotBias: !paper));
            w2.Add(SeededLayers.GlorotLinear(din, dout, init, glorotBias: !paper));
            din = dout;
        }
        RegisterComponents();
    }

    public override string Kind => "ngcf";

    public override byte[]? SaveRandomState() => _dropout.SaveState();

    public override void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    public override Tensor BprLoss(BprBatch batch, double reg) => BatchNodesLoss(batch, reg, _nodes, Propagate);

    protected override (Tensor Users, Tensor Items) Final()
    {
        var all = Propagate(null);
        return (all.narrow(0, 0, NumUsers), all.narrow(0, NumUsers, NumItems));
    }

    /// <summary>
    /// Concatenated layer embeddings [rows, Dim + Σ LayerDims] of the given distinct node rows (null = every node).
    /// A layer's output feeds the next layer at every node, but the last layer and every layer's normalised copy are
    /// needed only at the rows asked for: a BPR step computes them for its batch's nodes alone (the last layer's
    /// message dropout then draws a mask for those rows only). On the CSR path with widths the C# layer kernels take,
    /// that whole step is one autograd node (<see cref="NgcfPropagationFunction"/>) with the same draws in the same order.
    /// </summary>
    private Tensor Propagate(int[]? rows)
    {
        var e = NodeEmbeddings();
        DroppedAdjacency? dropped = null;
        using (Recsys.Training.StepProfile.Time("    edge dropout"))
            if (training && _o.NodeDropout > 0) dropped = _edgeDropout.Sample(_o.NodeDropout, _dropout, e.device);
        if (rows is not null && FusedOnCpu(e))
        {
            var (a, aT) = dropped?.Csr ?? (_graph.Adjacency, _graph.Transposed);
            var args = new List<object> { e };
            for (int k = 0; k < w1.Count; k++) args.AddRange([w1[k].weight!, w1[k].bias!, w2[k].weight!, w2[k].bias!]);
            var step = dropped;
            args.Add(new NgcfPropagationPlan(a, aT, rows, w1.Select(_ => Activation()).ToArray(), _form, _workspace,
                                             step is null ? null : () => _edgeDropout.Release(step)));
            return NgcfPropagationFunction.apply(args.ToArray());
        }
        using var idx = rows is null ? null : tensor(rows.Select(r => (long)r).ToArray(), device: e.device);
        var layers = new List<Tensor> { idx is null ? e : e.index_select(0, idx) };
        for (int k = 0; k < w1.Count; k++)
        {
            bool last = k == w1.Count - 1;
            Tensor side, self;
            if (last && rows is not null)
            {
                side = dropped?.MultiplyRows(e, rows) ?? _graph.MultiplyRows(e, rows); // (L E)[rows] (Â E with the Code variant)
                self = e.index_select(0, idx!);
            }
            else
            {
                side = dropped?.Multiply(e) ?? _graph.Multiply(e);                     // L E
                self = e;
            }
            e = Layer(k, side, self);
            var kept = idx is null || (last && rows is not null) ? e : e.index_select(0, idx);
            layers.Add(nn.functional.normalize(kept, p: 2, dim: 1));
        }
        return cat(layers, 1);
    }

    /// <summary>A training step's propagation on the CSR path as one C# autograd node, when every layer's widths suit the kernels.</summary>
    private bool FusedOnCpu(Tensor e) =>
        is_grad_enabled() && e.requires_grad && _graph.UsesCsr(e.device)
        && w1.All(l => NgcfLayerFunction.Supports((int)l.weight!.shape[1], (int)l.weight.shape[0]));

    /// <summary>
    /// LeakyReLU, with message dropout when training, as the C# layer kernels apply it (one mask draw per call); with
    /// split terms the kernels apply each term's LeakyReLU and this is the dropout alone (slope 1).
    /// </summary>
    private NgcfActivation Activation()
    {
        float slope = OuterSlope;
        double p = _o.MessageDropout;
        return training && p > 0
            ? (h, factor) => _dropout.LeakyApply(h, factor, p, slope)
            : (h, factor) => NgcfLayerFunction.LeakyRelu(h, factor, slope);
    }

    /// <summary>
    /// LeakyReLU((L + I) E W1 + b1 + (L E ⊙ E) W2 + b2) from side = L E and self = E (the Code variant: side = Â E
    /// enters W1 alone; TensorFlow: LeakyReLU of each term, added), then message dropout when training: on the CSR
    /// (CPU) path one C# autograd node (<see cref="NgcfLayerFunction"/>), elsewhere libtorch's ops.
    /// </summary>
    private Tensor Layer(int k, Tensor side, Tensor self)
    {
        Linear a = w1[k], b = w2[k];
        if (_graph.UsesCsr(side.device) && NgcfLayerFunction.Supports((int)side.shape[1], (int)a.weight!.shape[0]))
        {
            var act = Activation();
            if (is_grad_enabled() && (side.requires_grad || self.requires_grad || a.weight.requires_grad))
                return NgcfLayerFunction.apply(side, self, a.weight, a.bias!, b.weight!, b.bias!, act, _form);
            var (output, f) = NgcfLayerFunction.Forward(side, self, a.weight, a.bias!, b.weight!, b.bias!, act, _form);
            f.Dispose();
            return output;
        }
        bool dropout = training && _o.MessageDropout > 0;
        if (_form.SplitSlope is { } s)
        {
            var sum = nn.functional.leaky_relu(a.forward(side), s) + nn.functional.leaky_relu(b.forward(side * self), s);
            return dropout ? LeakyReluDropout(sum, OuterSlope) : sum;
        }
        var pre = a.forward(_form.WithSelf ? side + self : side) + b.forward(side * self);
        return dropout ? LeakyReluDropout(pre, OuterSlope) : nn.functional.leaky_relu(pre, _o.LeakySlope);
    }

    /// <summary>Slope of the activation after the terms are added: the LeakyReLU's, or 1 (none) when each term had its own.</summary>
    private float OuterSlope => _form.Split ? 1f : (float)_o.LeakySlope;

    /// <summary>
    /// LeakyReLU, then message dropout (slope 1: the dropout alone). On the CSR (CPU) path one host pass turns the
    /// pre-activation h into the factor keep · (h &gt; 0 ? 1 : slope) / (1 − p) and the layer is h ⊙ factor: the same
    /// values and gradient in one elementwise op instead of five, with the same mask as the other devices draw.
    /// </summary>
    private Tensor LeakyReluDropout(Tensor h, float slope)
    {
        if (_graph.UsesCsr(h.device) && h.is_contiguous())
        {
            using var data = h.detach();
            using var factor = empty_like(data);
            _dropout.LeakyScaled(TensorMemory.Floats(data), TensorMemory.Floats(factor), _o.MessageDropout, slope);
            return h * factor;
        }
        var keep = new float[h.numel()];
        _dropout.Scaled(keep, _o.MessageDropout);
        using var host = tensor(keep, h.shape);
        using var mask = host.to(h.device);
        return (slope == 1f ? h : nn.functional.leaky_relu(h, slope)) * mask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _graph.Dispose(); _workspace.Dispose(); }
        base.Dispose(disposing);
    }
}
