using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>One training step's Â with dropped entries (<see cref="EdgeDropout"/>): CSR pairs on CPU, a device sparse tensor elsewhere.</summary>
public sealed class DroppedAdjacency
{
    private readonly GraphPropagator _graph;
    private readonly CsrMatrix? _a, _aT;
    private readonly Tensor? _sparse;

    internal DroppedAdjacency(GraphPropagator graph, CsrMatrix? a, CsrMatrix? aT, Tensor? sparse)
    {
        _graph = graph;
        (_a, _aT, _sparse) = (a, aT, sparse);
    }

    /// <summary>This matrix times x [N, d] → [N, d]; differentiable w.r.t. x.</summary>
    public Tensor Multiply(Tensor x) => _sparse is null ? _graph.Multiply(x, _a!, _aT!) : _sparse.matmul(x);
}
