using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>
/// Multiplies node-embedding tensors by a fixed sparse normalised adjacency Â [N, N] inside autograd:
/// CPU tensors go through the C# CSR kernels (custom autograd functions), other devices through libtorch's
/// sparse mm (the sparse tensor is built once per device). Models own one and never pick a device.
/// </summary>
public sealed class GraphPropagator : IDisposable
{
    private readonly Dictionary<string, Tensor> _torchAdj = new();
    private readonly Dictionary<string, Tensor> _torchIndices = new();
    private readonly Dictionary<string, Tensor> _torchValues = new();
    // The last other matrix moved to a device (a step's attention-weighted Â, used by every layer of the step).
    private (CsrMatrix Matrix, string Device, Tensor Sparse)? _lastVariant;

    /// <param name="adjacency">Â, N × N.</param>
    /// <param name="symmetric">True when Â = Âᵀ (the symmetric normalisation), so the backward reuses Â.</param>
    /// <param name="backend">How Â is multiplied (see <see cref="PropagationBackend"/>).</param>
    public GraphPropagator(CsrMatrix adjacency, bool symmetric, PropagationBackend backend = PropagationBackend.Auto)
    {
        if (adjacency.Rows != adjacency.Cols) throw new ArgumentException($"adjacency must be square, got {adjacency.Rows} x {adjacency.Cols}.");
        Adjacency = adjacency;
        Symmetric = symmetric;
        Transposed = symmetric ? adjacency : adjacency.Transpose();
        Backend = backend;
    }

    public CsrMatrix Adjacency { get; }
    public CsrMatrix Transposed { get; }
    public bool Symmetric { get; }
    public PropagationBackend Backend { get; }
    public int Nodes => Adjacency.Rows;

    private bool UseCsr(Tensor x) => UsesCsr(x.device);

    /// <summary>Whether tensors on <paramref name="device"/> go through the C# CSR kernels (else libtorch sparse mm).</summary>
    public bool UsesCsr(Device device) => Backend switch
    {
        PropagationBackend.Csr => device.type == TorchSharp.DeviceType.CPU ? true : throw new InvalidOperationException("the Csr propagation backend needs CPU tensors."),
        PropagationBackend.Torch => false,
        _ => device.type == TorchSharp.DeviceType.CPU,
    };

    /// <summary>Â x for x [N, d] float32 → [N, d]; differentiable.</summary>
    public Tensor Multiply(Tensor x) => Multiply(x, Adjacency, Transposed);

    /// <summary>
    /// <paramref name="a"/> x with a caller-supplied matrix of the same shape (e.g. Â with dropped edges) and its
    /// transpose for the backward; differentiable.
    /// </summary>
    public Tensor Multiply(Tensor x, CsrMatrix a, CsrMatrix aT)
    {
        if (!UseCsr(x)) return sparse_mm(a == Adjacency ? TorchAdjacency(x.device) : TorchVariant(a, x.device), x);
        if (x.requires_grad && is_grad_enabled()) return CsrSpmmFunction.apply(x, a, aT);
        // Nothing to differentiate (evaluation): the kernel alone, without an autograd node.
        using var xc = x.contiguous();
        var y = empty(a.Rows, xc.shape[1]);
        CsrKernels.Multiply(a, TensorMemory.Floats(xc), TensorMemory.Floats(y), (int)xc.shape[1]);
        return y;
    }

    /// <summary>
    /// LightGCN's layer mean at the given unique node rows: (1/(L+1)) Σ_{l=0..L} (Â^l x)[rows] → [rows.Length, d].
    /// Needs a symmetric Â; differentiable w.r.t. x.
    /// </summary>
    public Tensor LayerMeanRows(Tensor x, int[] rows, int layers)
    {
        if (!Symmetric) throw new InvalidOperationException("LayerMeanRows needs a symmetric adjacency.");
        if (layers == 0) return x.index_select(0, tensor(rows.Select(r => (long)r).ToArray(), device: x.device));
        if (UseCsr(x)) return LightGcnRowsFunction.apply(x, Adjacency, rows, layers);
        using var idx = tensor(rows.Select(r => (long)r).ToArray(), device: x.device);
        return LayerMean(x, layers).index_select(0, idx);
    }

    /// <summary>
    /// (Â x)[rows] → [rows.Length, d] for distinct <paramref name="rows"/>, differentiable w.r.t. x (a training step
    /// needs only its batch's rows of a model's last layer).
    /// </summary>
    public Tensor MultiplyRows(Tensor x, int[] rows) => MultiplyRows(x, rows, Adjacency, Transposed);

    /// <summary>
    /// As <see cref="MultiplyRows(Tensor, int[])"/> with a caller-supplied matrix of Â's shape (e.g. a step's Â with
    /// dropped edges) and its transpose for the backward: the C# CSR kernels on CPU, the rows' block as a COO matrix
    /// through libtorch elsewhere.
    /// </summary>
    public Tensor MultiplyRows(Tensor x, int[] rows, CsrMatrix a, CsrMatrix aT)
    {
        if (UseCsr(x))
        {
            if (x.requires_grad && is_grad_enabled()) return CsrRowsSpmmFunction.apply(x, a, aT, rows);
            using var xc = x.contiguous();
            return CsrRowsSpmmFunction.Forward(a, xc, rows);
        }
        var (ind, pos) = RowsBlock(a, rows, x.device);
        var host = new float[pos.Length];
        for (int i = 0; i < pos.Length; i++) host[i] = a.Values[pos[i]];
        using (ind)
        using (var v = tensor(host, device: x.device))
        using (var block = sparse_coo_tensor(ind, v, [rows.Length, a.Cols]))
            return block.matmul(x);
    }

    /// <summary>As <see cref="MultiplyRows(Tensor, int[])"/> with Â's pattern and these values (CSR order, a tensor on x's device).</summary>
    public Tensor MultiplyRows(Tensor x, int[] rows, Tensor values)
    {
        var (ind, pos) = RowsBlock(Adjacency, rows, x.device);
        using (ind)
        using (var p = tensor(pos, device: values.device))
        using (var v = values.index_select(0, p))
        using (var block = sparse_coo_tensor(ind, v, [rows.Length, Adjacency.Cols]))
            return block.matmul(x);
    }

    /// <summary>COO indices (row within <paramref name="rows"/>, column) of the rows' entries of <paramref name="a"/>, and their CSR positions.</summary>
    private static (Tensor Indices, long[] Positions) RowsBlock(CsrMatrix a, int[] rows, Device device)
    {
        int nnz = 0;
        foreach (int r in rows) nnz += a.RowPtr[r + 1] - a.RowPtr[r];
        var idx = new long[2 * nnz];
        var pos = new long[nnz];
        int k = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = a.RowPtr[rows[i]]; j < a.RowPtr[rows[i] + 1]; j++, k++) { idx[k] = i; idx[nnz + k] = a.ColIdx[j]; pos[k] = j; }
        return (tensor(idx, [2, nnz], device: device), pos);
    }

    /// <summary>(1/(L+1)) Σ_{l=0..L} Â^l x for every node → [N, d]; differentiable.</summary>
    public Tensor LayerMean(Tensor x, int layers)
    {
        var sum = x;
        var cur = x;
        for (int l = 1; l <= layers; l++)
        {
            cur = Multiply(cur);
            sum = sum + cur;
        }
        return sum / (layers + 1);
    }

    private Tensor TorchAdjacency(Device device)
    {
        var key = device.ToString();
        if (!_torchAdj.TryGetValue(key, out var t))
        {
            t = ToTorch(Adjacency, device);
            t.DetachFromDisposeScope();
            _torchAdj[key] = t;
        }
        return t;
    }

    private static Tensor sparse_mm(Tensor a, Tensor x) => a.matmul(x);

    /// <summary>
    /// Another matrix as a device sparse tensor, kept until a different one arrives: the layers of one step share
    /// it, and a matrix with Â's pattern reuses Â's device indices (building them on the host is the slow part).
    /// The cache is keyed by the matrix object: a caller passes a new CsrMatrix whenever the values change.
    /// </summary>
    private Tensor TorchVariant(CsrMatrix a, Device device)
    {
        var key = device.ToString();
        if (_lastVariant is { } v && ReferenceEquals(v.Matrix, a) && v.Device == key) return v.Sparse;
        _lastVariant?.Sparse.Dispose();
        _lastVariant = null;
        Tensor t;
        if (ReferenceEquals(a.RowPtr, Adjacency.RowPtr) && ReferenceEquals(a.ColIdx, Adjacency.ColIdx))
        {
            using var values = tensor(a.Values);
            using var onDevice = values.to(device);
            t = TorchSparse(onDevice);
        }
        else t = ToTorch(a, device);
        t.DetachFromDisposeScope();
        _lastVariant = (a, key, t);
        return t;
    }

    /// <summary>Â's stored values (CSR order) on <paramref name="device"/>; cached, not to be disposed.</summary>
    public Tensor TorchValues(Device device) => Cached(_torchValues, device, () => tensor(Adjacency.Values).to(device));

    /// <summary>A sparse [N, N] tensor with Â's pattern and these values (CSR order, on the values' device).</summary>
    public Tensor TorchSparse(Tensor values) => sparse_coo_tensor(TorchIndices(values.device), values, [Adjacency.Rows, Adjacency.Cols]);

    private Tensor TorchIndices(Device device) => Cached(_torchIndices, device, () =>
    {
        using var host = CooIndices(Adjacency);
        return host.to(device);
    });

    private static Tensor Cached(Dictionary<string, Tensor> cache, Device device, Func<Tensor> make)
    {
        var key = device.ToString();
        if (!cache.TryGetValue(key, out var t))
        {
            t = make();
            t.DetachFromDisposeScope();
            cache[key] = t;
        }
        return t;
    }

    private static Tensor CooIndices(CsrMatrix a)
    {
        var idx = new long[2 * a.NonZeros];
        for (int r = 0; r < a.Rows; r++)
            for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++) { idx[k] = r; idx[a.NonZeros + k] = a.ColIdx[k]; }
        return tensor(idx, [2, a.NonZeros]);
    }

    /// <summary>Â as a libtorch sparse COO tensor on <paramref name="device"/>.</summary>
    public static Tensor ToTorch(CsrMatrix a, Device device)
    {
        using var i = CooIndices(a);
        using var v = tensor(a.Values);
        var coo = sparse_coo_tensor(i, v, [a.Rows, a.Cols]);
        return coo.to(device); // built from CSR: indices already sorted and unique
    }

    public void Dispose()
    {
        foreach (var t in _torchAdj.Values.Concat(_torchIndices.Values).Concat(_torchValues.Values)) t.Dispose();
        _torchAdj.Clear();
        _torchIndices.Clear();
        _torchValues.Clear();
        _lastVariant?.Sparse.Dispose();
        _lastVariant = null;
    }
}
