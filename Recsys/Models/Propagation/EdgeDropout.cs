using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>
/// NGCF's "node dropout" as the official code does it: each stored entry of Â kept with probability 1 − p and
/// scaled by 1 / (1 − p), drawn afresh for every training step. On CPU the step's matrix and its transpose are CSR
/// pairs for the C# kernels; on other devices the mask (drawn on CPU like every dropout mask, so a seed drops the same
/// entries on every device) is applied to Â's values in device memory, and Â's device indices are reused —
/// rebuilding the COO indices on the host for each layer of each step made a CUDA NGCF epoch take minutes.
/// </summary>
public sealed class EdgeDropout
{
    private readonly GraphPropagator _graph;
    private int[]? _transposeAt;
    // Reused by every CPU step (three 1.6M-float arrays per step on Gowalla churned the large-object heap); a step's
    // dropped matrices are dead once its backward has run, which a caller says with Release. Until then (or until the
    // collector finds the step's transposed matrix, which every backward keeps, unreachable) a second Sample gets arrays
    // of its own, so two graphs built before one backward never share values.
    private float[]? _keep, _dropped, _droppedT;
    private WeakReference<CsrMatrix>? _holder;

    public EdgeDropout(GraphPropagator graph)
    {
        _graph = graph; // the pattern must be symmetric (checked when the transpose positions are first built)
    }

    /// <summary>One step's dropped Â, its mask drawn on the host from <paramref name="stream"/>, for tensors on <paramref name="device"/>.</summary>
    public DroppedAdjacency Sample(double p, DropoutStream stream, Device device)
    {
        var adj = _graph.Adjacency;
        var k = _keep ??= new float[adj.NonZeros];
        stream.Scaled(k, p);
        if (!_graph.UsesCsr(device))
        {
            using var keepHost = tensor(k);
            using var keep = keepHost.to(device);
            var v = _graph.TorchValues(device) * keep; // the step's dispose scope frees it
            return new DroppedAdjacency(_graph, null, null, _graph.TorchSparse(v), v);
        }
        var at = _transposeAt ??= TransposePositions(adj);
        bool held = _holder is not null && _holder.TryGetTarget(out _);
        var vals = held ? new float[adj.NonZeros] : _dropped ??= new float[adj.NonZeros];
        var valsT = held ? new float[adj.NonZeros] : _droppedT ??= new float[adj.NonZeros];
        // Every entry writes its own two slots, so ranges run in parallel with the same result (≈ 1.7M entries a step).
        const int Range = 1 << 16;
        Parallel.For(0, (vals.Length + Range - 1) / Range, c =>
        {
            var src = adj.Values;
            for (int i = c * Range, end = Math.Min(vals.Length, i + Range); i < end; i++)
            {
                vals[i] = src[i] * k[i];
                valsT[at[i]] = vals[i];
            }
        });
        var t = _graph.Transposed;
        var dropped = new DroppedAdjacency(_graph,
            new CsrMatrix(adj.Rows, adj.Cols, adj.RowPtr, adj.ColIdx, vals), new CsrMatrix(t.Rows, t.Cols, t.RowPtr, t.ColIdx, valsT), null, null);
        if (!held) _holder = new WeakReference<CsrMatrix>(dropped.Csr!.Value.AT);
        return dropped;
    }

    /// <summary>Says that <paramref name="dropped"/>'s backward has run, so the next step may reuse its arrays.</summary>
    public void Release(DroppedAdjacency dropped)
    {
        if (_holder is not null && _holder.TryGetTarget(out var h) && ReferenceEquals(h, dropped.Csr?.AT)) _holder = null;
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
}
