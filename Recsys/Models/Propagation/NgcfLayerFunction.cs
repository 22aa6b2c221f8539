using System.Runtime.Intrinsics;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>
/// Turns a layer's pre-activation h into its output in place and writes the factor with h_out = h ⊙ factor, whose
/// gradient is then g ⊙ factor (LeakyReLU: factor = h &gt; 0 ? 1 : slope; with dropout, times the scaled mask).
/// </summary>
internal delegate void NgcfActivation(Span<float> h, Span<float> factor);

/// <summary>
/// One NGCF layer on CPU as a single autograd function on the C# tile kernels:
/// E' = act((S + E) W1ᵀ + b1 + (S ⊙ E) W2ᵀ + b2) with S = L E given (without self: S W1ᵀ, the authors' code's
/// layer where S = Â E already holds the self-loop). Per tile of rows it forms X = [S + E | S ⊙ E]
/// in cache and multiplies it by the stacked weights once, so neither message term is materialised; the activation
/// (LeakyReLU and message dropout, <see cref="NgcfActivation"/>) runs in place and keeps only its factor. libtorch
/// needed two adds, a product, two addmm, a mask multiply and their backward passes over the full 70k × 64 tables
/// on Gowalla, and its GEMM is slow at this tall, thin shape.
/// Backward from G = dL/dE', per tile again: Gh = G ⊙ factor, dW = Xᵀ Gh (summed over a fixed partition of the rows
/// in a fixed order, so the result does not depend on the thread count), db1 = db2 = Σ Gh,
/// [dX₁ | dX₂] = Gh [W1 | W2], dL/dS = dX₁ + dX₂ ⊙ E and dL/dE = dX₁ + dX₂ ⊙ S (without self: dX₂ ⊙ S).
/// Arguments: (Tensor s [n, din], Tensor e [n, din], Tensor w1 [dout, din], Tensor b1 [dout], Tensor w2, Tensor b2,
/// NgcfActivation act, bool withSelf), float32 CPU; widths as <see cref="Supports"/> allows (other widths take libtorch's ops).
/// </summary>
internal sealed class NgcfLayerFunction : autograd.SingleTensorFunction<NgcfLayerFunction>
{
    /// <summary>Partitions of the weight-gradient sum: fixed, so gradients are bit-identical on any core count.</summary>
    private const int Parts = 32;

    public override string Name => "NgcfLayer";

    /// <summary>Widths the kernels take: multiples of 16, and small enough that a tile's buffers fit on the stack.</summary>
    public static bool Supports(int din, int dout) =>
        din > 0 && dout > 0 && din % 16 == 0 && dout % 16 == 0 && din <= 512 && dout <= 1024;

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        BackwardOutputs.Release();
        var (s, e, w1, b1, w2, b2) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4], (Tensor)vars[5]);
        ctx.save_for_backward([s, e, w1, w2]);
        using var _ = StepProfile.Time("    ngcf layer forward");
        bool withSelf = (bool)vars[7];
        var (output, factor) = Forward(s, e, w1, b1, w2, b2, (NgcfActivation)vars[6], withSelf);
        // The factor lives in the step's dispose scope, which outlasts backward.
        ctx.save_data("factor", new FactorHolder(factor));
        ctx.save_data("withSelf", withSelf);
        return output;
    }

    /// <summary>
    /// The layer's output and its activation factor, without an autograd node; written into <paramref name="output"/>
    /// and <paramref name="factorOut"/> ([n, dout], contiguous) when given, else into new tensors.
    /// </summary>
    internal static unsafe (Tensor Output, Tensor Factor) Forward(Tensor side, Tensor ego, Tensor w1, Tensor b1, Tensor w2, Tensor b2,
                                                                  NgcfActivation act, bool withSelf, Tensor? output = null, Tensor? factorOut = null)
    {
        using var s = side.contiguous();
        using var e = ego.contiguous();
        int n = (int)s.shape[0], din = (int)s.shape[1], dout = (int)w1.shape[0];
        Validate(s, e, w1, w2, din, dout);
        // Stacked weights [2din × dout]: row i is column i of W1 (i < din) or of W2, so X · B = h − b.
        var stacked = new float[2 * din * dout];
        CopyTransposed(w1, stacked.AsSpan(0, din * dout));
        CopyTransposed(w2, stacked.AsSpan(din * dout));
        var bias = new float[dout];
        using (var d1 = b1.detach())
        using (var d2 = b2.detach())
        using (var bb = (d1 + d2).contiguous()) TensorMemory.Floats(bb).CopyTo(bias);
        var h = output ?? empty(n, dout);
        int tile = TileRows(din, dout), tiles = (n + tile - 1) / tile;
        fixed (float* ps = TensorMemory.Floats(s), pe = TensorMemory.Floats(e), ph = TensorMemory.Floats(h), pb = stacked, pbias = bias)
        {
            var (sa, ea, ha, ba, biasa) = ((nint)ps, (nint)pe, (nint)ph, (nint)pb, (nint)pbias);
            Parallel.For(0, tiles, t =>
            {
                int r0 = t * tile, rows = Math.Min(tile, n - r0);
                float* x = stackalloc float[tile * 2 * din];
                Messages((float*)sa + (long)r0 * din, (float*)ea + (long)r0 * din, rows, din, withSelf, x);
                DenseKernels.MultiplyAdd(x, rows, 2 * din, (float*)ba, dout, (float*)biasa, (float*)ha + (long)r0 * dout);
            });
        }
        var factor = factorOut ?? empty(n, dout);
        act(TensorMemory.Floats(h), TensorMemory.Floats(factor));
        return (h, factor);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var _ = StepProfile.Time("    ngcf layer backward");
        var saved = ctx.get_saved_variables();
        try
        {
            using var s = saved[0].contiguous();
            using var e = saved[1].contiguous();
            using var g = gradOutput.contiguous();
            var factor = ((FactorHolder)ctx.get_data("factor")).Factor;
            bool withSelf = (bool)ctx.get_data("withSelf");
            var gs = empty(s.shape[0], s.shape[1]);
            var ge = empty(s.shape[0], s.shape[1]);
            var (gw1, gw2, gb) = Backward(s, e, saved[2], saved[3], factor, g, withSelf, TensorMemory.Floats(gs), TensorMemory.Floats(ge));
            var gb2 = gb.clone();
            BackwardOutputs.KeepAll(gs, ge, gw1, gb, gw2, gb2);
            gradOutput.Dispose();
            return [gs, ge, gw1, gb, gw2, gb2, null!, null!];
        }
        finally
        {
            foreach (var t in saved) t.Dispose();
        }
    }

    /// <summary>
    /// The layer's backward without an autograd node: from g = dL/dE' (contiguous, [n, dout]) writes dL/dS into
    /// <paramref name="gs"/> and dL/dE into <paramref name="ge"/> (both [n, din], every value written) and returns
    /// dW1, dW2 in Linear's layout and db (= db1 = db2). s, e, factor and g must be contiguous.
    /// </summary>
    internal static unsafe (Tensor W1, Tensor W2, Tensor B) Backward(Tensor s, Tensor e, Tensor w1, Tensor w2, Tensor factor, Tensor g,
                                                                     bool withSelf, Span<float> gs, Span<float> ge)
    {
        int n = (int)s.shape[0], din = (int)s.shape[1], dout = (int)w1.shape[0], k = 2 * din;
        if (gs.Length < (long)n * din || ge.Length < (long)n * din) throw new ArgumentException("gradient buffers are too small.");
        // [W1 | W2] row-major [dout × 2din]: Gh · that = [dX₁ | dX₂].
        var joined = new float[dout * k];
        using (var d1 = w1.detach())
        using (var d2 = w2.detach())
        using (var both = cat([d1, d2], 1)) TensorMemory.Floats(both).CopyTo(joined);
        int tile = TileRows(din, dout), tiles = (n + tile - 1) / tile, parts = Math.Min(Parts, tiles);
        var acc = Scratch.Get(3, parts * (k * dout + dout));
        acc.Clear();
        fixed (float* ps = TensorMemory.Floats(s), pe = TensorMemory.Floats(e), pg = TensorMemory.Floats(g), pf = TensorMemory.Floats(factor),
               pj = joined, pgs = gs, pge = ge, pacc = acc)
        {
            var (sa, ea, ga, fa, ja, gsa, gea, acca) = ((nint)ps, (nint)pe, (nint)pg, (nint)pf, (nint)pj, (nint)pgs, (nint)pge, (nint)pacc);
            Parallel.For(0, parts, p =>
            {
                float* x = stackalloc float[tile * k];
                float* dx = stackalloc float[tile * k];
                float* gh = stackalloc float[tile * dout];
                float* myW = (float*)acca + (long)p * (k * dout + dout), myB = myW + k * dout;
                int t0 = (int)((long)tiles * p / parts), t1 = (int)((long)tiles * (p + 1) / parts);
                for (int t = t0; t < t1; t++)
                {
                    int r0 = t * tile, rows = Math.Min(tile, n - r0);
                    float* st = (float*)sa + (long)r0 * din, et = (float*)ea + (long)r0 * din;
                    Multiply((float*)ga + (long)r0 * dout, (float*)fa + (long)r0 * dout, rows * dout, gh);
                    Messages(st, et, rows, din, withSelf, x);
                    DenseKernels.AccumulateTransposed(x, rows, k, gh, dout, myW);
                    SumRows(gh, rows, dout, myB);
                    DenseKernels.MultiplyAdd(gh, rows, dout, (float*)ja, k, null, dx);
                    InputGradients(dx, st, et, rows, din, withSelf, (float*)gsa + (long)r0 * din, (float*)gea + (long)r0 * din);
                }
            });
        }
        return ReduceParts(acc, parts, din, dout);
    }

    /// <summary>LeakyReLU as an <see cref="NgcfActivation"/>: factor = h &gt; 0 ? 1 : slope (libtorch's gradient at 0 too), h ← h ⊙ factor.</summary>
    public static void LeakyRelu(Span<float> h, Span<float> factor, float slope)
    {
        for (int i = 0; i < h.Length; i++)
        {
            float f = h[i] > 0 ? 1f : slope;
            factor[i] = f;
            h[i] *= f;
        }
    }

    /// <summary>Rows per tile: the X, dX and Gh tiles stay within 16 KB of stack each.</summary>
    private static int TileRows(int din, int dout) => Math.Max(4, Math.Min(64, 4096 / Math.Max(2 * din, dout)) & ~3);

    private static void Validate(Tensor s, Tensor e, Tensor w1, Tensor w2, int din, int dout)
    {
        if (!Supports(din, dout)) throw new ArgumentException($"NgcfLayer takes widths that are multiples of 16 up to 512 → 1024, got {din} → {dout}.");
        if (!s.shape.SequenceEqual(e.shape)) throw new ArgumentException($"side {string.Join('x', s.shape)} and ego {string.Join('x', e.shape)} differ.");
        if (w1.shape[1] != din || w2.shape[0] != dout || w2.shape[1] != din)
            throw new ArgumentException($"weights {string.Join('x', w1.shape)}, {string.Join('x', w2.shape)} do not map {din} → {dout}.");
    }

    /// <summary>dst = wᵀ row-major for w [dout × din].</summary>
    private static void CopyTransposed(Tensor w, Span<float> dst)
    {
        using var d = w.detach();
        using var t = d.t();
        using var c = t.contiguous();
        TensorMemory.Floats(c).CopyTo(dst);
    }

    /// <summary>x[r] = [s[r] + e[r] | s[r] ⊙ e[r]] (without self: [s[r] | s[r] ⊙ e[r]]).</summary>
    private static unsafe void Messages(float* s, float* e, int rows, int din, bool withSelf, float* x)
    {
        for (int r = 0; r < rows; r++)
        {
            float* sr = s + (long)r * din, er = e + (long)r * din, xr = x + (long)r * 2 * din;
            for (int c = 0; c < din; c += 16)
            {
                var sv = Vector512.Load(sr + c);
                var ev = Vector512.Load(er + c);
                (withSelf ? sv + ev : sv).Store(xr + c);
                (sv * ev).Store(xr + din + c);
            }
        }
    }

    private static unsafe void Multiply(float* a, float* b, int count, float* dst)
    {
        for (int i = 0; i < count; i += 16) (Vector512.Load(a + i) * Vector512.Load(b + i)).Store(dst + i);
    }

    /// <summary>dL/dS = dX₁ + dX₂ ⊙ E, dL/dE = dX₁ + dX₂ ⊙ S (without self: dX₂ ⊙ S), from dx[r] = [dX₁ | dX₂].</summary>
    private static unsafe void InputGradients(float* dx, float* s, float* e, int rows, int din, bool withSelf, float* gs, float* ge)
    {
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * din;
            float* d1 = dx + 2 * o, d2 = d1 + din;
            for (int c = 0; c < din; c += 16)
            {
                var a = Vector512.Load(d1 + c);
                var b = Vector512.Load(d2 + c);
                Vector512.FusedMultiplyAdd(b, Vector512.Load(e + o + c), a).Store(gs + o + c);
                var sv = Vector512.Load(s + o + c);
                (withSelf ? Vector512.FusedMultiplyAdd(b, sv, a) : b * sv).Store(ge + o + c);
            }
        }
    }

    private static unsafe void SumRows(float* g, int rows, int m, float* sum)
    {
        for (int r = 0; r < rows; r++)
        {
            float* gr = g + (long)r * m;
            for (int c = 0; c < m; c += 16) (Vector512.Load(sum + c) + Vector512.Load(gr + c)).Store(sum + c);
        }
    }

    /// <summary>Sums the parts in order; splits Xᵀ Gh [2din × dout] into dW1, dW2 in Linear's [dout × din] layout.</summary>
    private static (Tensor W1, Tensor W2, Tensor B) ReduceParts(Span<float> acc, int parts, int din, int dout)
    {
        int k = 2 * din, stride = k * dout + dout;
        var total = new float[stride];
        for (int p = 0; p < parts; p++)
            System.Numerics.Tensors.TensorPrimitives.Add(total, acc.Slice(p * stride, stride), total);
        var w1 = empty(dout, din);
        var w2 = empty(dout, din);
        var f1 = TensorMemory.Floats(w1);
        var f2 = TensorMemory.Floats(w2);
        for (int i = 0; i < din; i++)
            for (int o = 0; o < dout; o++)
            {
                f1[o * din + i] = total[i * dout + o];
                f2[o * din + i] = total[(din + i) * dout + o];
            }
        var b = tensor(total.AsSpan(k * dout, dout).ToArray());
        return (w1, w2, b);
    }

    /// <summary>Keeps the factor tensor in the context's data (TorchSharp warns when a Tensor is saved there directly).</summary>
    private sealed record FactorHolder(Tensor Factor);
}
