using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>One training step's Â with dropped entries (<see cref="EdgeDropout"/>): CSR pairs on CPU, a device sparse tensor elsewhere.</summary>
public sealed class DroppedAdjacency
{
    private readonly GraphPropagator _graph;
    private readonly CsrMatrix? _a, _aT;
    private readonly Tensor? _sparse, _values;

    /// <param name="graph">The propagator whose Â was dropped.</param>
    /// <param name="a">On CPU: the dropped Â in CSR.</param>
    /// <param name="aT">On CPU: its transpose (null when Â is symmetric).</param>
    /// <param name="sparse">On a device: the dropped Â as a sparse tensor.</param>
    /// <param name="values">With <paramref name="sparse"/>: its values in Â's CSR order, on the same device.</param>
    internal DroppedAdjacency(GraphPropagator graph, CsrMatrix? a, CsrMatrix? aT, Tensor? sparse, Tensor? values)
    {
        _graph = graph;
        (_a, _aT, _sparse, _values) = (a, aT, sparse, values);
    }

    /// <summary>The CSR matrix and its transpose on the CPU path; null elsewhere.</summary>
    internal (CsrMatrix A, CsrMatrix AT)? Csr => _a is null ? null : (_a, _aT!);

    /// <summary>This matrix times x [N, d] → [N, d]; differentiable w.r.t. x.</summary>
    public Tensor Multiply(Tensor x) => _sparse is null ? _graph.Multiply(x, _a!, _aT!) : _sparse.matmul(x);

    /// <summary>(this matrix · x)[rows] → [rows.Length, d]; differentiable w.r.t. x.</summary>
    public Tensor MultiplyRows(Tensor x, int[] rows) =>
        _values is not null ? _graph.MultiplyRows(x, rows, _values) : _graph.MultiplyRows(x, rows, _a!, _aT!);
}
