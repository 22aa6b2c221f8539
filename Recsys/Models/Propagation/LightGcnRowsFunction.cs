using Recsys.Graphs;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>
/// The LightGCN layer mean restricted to a mini-batch's nodes, fused into one autograd function on CPU:
/// out = (1/(L+1)) Σ_{l=0..L} (Â^l E)[S] for a symmetric Â and unique node list S.
/// Forward: L-1 full products, then only the rows S of the last one. Backward with g = dL/d out scattered on S
/// (Â symmetric, so (Â^l)ᵀ = Â^l): dL/dE = (1/(L+1)) Σ_l Â^l g, by Horner h ← g + Â h, where the first
/// product touches only the rows of S (a scatter) and the other L-1 are full. That is 2(L-1) full products per
/// step instead of the 2L of propagating everything and slicing, with the same result.
/// Arguments: (Tensor e [N, d] float32 CPU, CsrMatrix Â (symmetric), int[] rows S, int layers L ≥ 1).
/// </summary>
internal sealed class LightGcnRowsFunction : autograd.SingleTensorFunction<LightGcnRowsFunction>
{
    public override string Name => "LightGcnRows";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        BackwardOutputs.Release();
        using var e = ((Tensor)vars[0]).contiguous();
        var a = (CsrMatrix)vars[1];
        var rows = (int[])vars[2];
        int layers = (int)vars[3];
        int n = a.Rows, dim = (int)e.shape[1];
        ctx.save_data("a", a); ctx.save_data("rows", rows); ctx.save_data("layers", layers);

        var src = TensorMemory.Floats(e);
        var y = empty(rows.Length, dim);
        var sum = TensorMemory.Floats(y);
        Gather(src, rows, sum, dim);
        // Layer buffers are reused across steps (70k x 64 floats on Gowalla would churn the large-object heap).
        Span<float> cur = src, next = Scratch.Get(0, n * dim), other = Scratch.Get(1, n * dim);
        for (int l = 1; l < layers; l++)
        {
            using (StepProfile.Time("    fwd full layer")) CsrKernels.Multiply(a, cur, next, dim);
            cur = next;
            var t = next; next = other; other = t;
            AddRows(cur, rows, sum, dim);
        }
        var last = Scratch.Get(2, rows.Length * dim);
        using (StepProfile.Time("    fwd batch rows")) CsrKernels.MultiplyRows(a, rows, cur, last, dim);
        System.Numerics.Tensors.TensorPrimitives.Add(sum, last, sum);
        System.Numerics.Tensors.TensorPrimitives.Multiply(sum, 1f / (layers + 1), sum);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var a = (CsrMatrix)ctx.get_data("a");
        var rows = (int[])ctx.get_data("rows");
        int layers = (int)ctx.get_data("layers");
        int n = a.Rows;
        using var gt = gradOutput.contiguous();
        int dim = (int)gt.shape[1];
        ReadOnlySpan<float> g = TensorMemory.Floats(gt);
        float scale = 1f / (layers + 1);

        // h_L = g (on S); h_{L-1} = g + Â h_L (scatter from S); h_l = g + Â h_{l+1} (full) ...; dE = h_0 / (L+1).
        // The last full product writes the scaled result straight into the gradient tensor.
        using var total = StepProfile.Time("  propagation backward");
        var grad = BackwardOutputs.Keep(empty(n, dim));
        var gradSpan = TensorMemory.Floats(grad);
        Span<float> h = layers == 1 ? gradSpan : Scratch.Get(0, n * dim), tmp = Scratch.Get(1, n * dim);
        using (StepProfile.Time("    bwd batch rows"))
        {
            // Â (g scattered on S) = Âᵀ (…) as Â is symmetric: a parallel row gather instead of a serial scatter.
            var slot = RowSlots.Set(n, rows);
            CsrKernels.MultiplySparseRows(a, slot, g, h, dim);
            RowSlots.Clear(slot, rows);
            AddRows(g, rows, h, dim, scatter: true);
        }
        for (int l = layers - 2; l >= 0; l--)
        {
            var dst = l == 0 ? gradSpan : tmp;
            using (StepProfile.Time("    bwd full layer")) CsrKernels.Multiply(a, h, dst, dim, l == 0 ? scale : 1f);
            AddRows(g, rows, dst, dim, scatter: true, factor: l == 0 ? scale : 1f);
            tmp = h; h = dst;
        }
        if (layers == 1) System.Numerics.Tensors.TensorPrimitives.Multiply(gradSpan, scale, gradSpan);
        gradOutput.Dispose();
        return [grad, null!, null!, null!];
    }

    /// <summary>dst[i] = src[rows[i]].</summary>
    private static void Gather(ReadOnlySpan<float> src, int[] rows, Span<float> dst, int dim)
    {
        for (int i = 0; i < rows.Length; i++) src.Slice(rows[i] * dim, dim).CopyTo(dst.Slice(i * dim, dim));
    }

    /// <summary>Gather-add (dst[i] += f·src[rows[i]]) or, with <paramref name="scatter"/>, scatter-add (dst[rows[i]] += f·src[i]).</summary>
    private static void AddRows(ReadOnlySpan<float> src, int[] rows, Span<float> dst, int dim, bool scatter = false, float factor = 1f)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            var s = scatter ? src.Slice(i * dim, dim) : src.Slice(rows[i] * dim, dim);
            var d = scatter ? dst.Slice(rows[i] * dim, dim) : dst.Slice(i * dim, dim);
            if (factor == 1f) System.Numerics.Tensors.TensorPrimitives.Add(d, s, d);
            else System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(s, factor, d, d);
        }
    }
}
