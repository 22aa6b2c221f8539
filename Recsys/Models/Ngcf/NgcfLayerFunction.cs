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
/// layer where S = Â E already holds the self-loop; split terms, <see cref="NgcfForm"/>: act(LeakyReLU(S W1ᵀ + b1) +
/// LeakyReLU((S ⊙ E) W2ᵀ + b2)) with act only dropout). Per tile of rows it forms X = [S + E | S ⊙ E]
/// in cache and multiplies it by the stacked weights once, so neither message term is materialised; the activation
/// (LeakyReLU and message dropout, <see cref="NgcfActivation"/>) runs in place and keeps only its factor. libtorch
/// needed two adds, a product, two addmm, a mask multiply and their backward passes over the full 70k × 64 tables
/// on Gowalla, and its GEMM is slow at this tall, thin shape.
/// Backward from G = dL/dE', per tile again: Gh = G ⊙ factor, dW = Xᵀ Gh (summed over a fixed partition of the rows
/// in a fixed order, so the result does not depend on the thread count), db1 = db2 = Σ Gh,
/// [dX₁ | dX₂] = Gh [W1 | W2], dL/dS = dX₁ + dX₂ ⊙ E and dL/dE = dX₁ + dX₂ ⊙ S (without self: dX₂ ⊙ S). Split terms
/// keep each term's LeakyReLU slope a₁, a₂ and the dropout mask m: Ghᵢ = G ⊙ m ⊙ aᵢ, dWᵢ = Xᵢᵀ Ghᵢ, dXᵢ = Ghᵢ Wᵢ.
/// Arguments: (Tensor s [n, din], Tensor e [n, din], Tensor w1 [dout, din], Tensor b1 [dout], Tensor w2, Tensor b2,
/// NgcfActivation act, NgcfForm form), float32 CPU; widths as <see cref="Supports"/> allows (other widths take libtorch's ops).
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
        var form = (NgcfForm)vars[7];
        var (output, factor) = Forward(s, e, w1, b1, w2, b2, (NgcfActivation)vars[6], form);
        // The factor lives in the step's dispose scope, which outlasts backward.
        ctx.save_data("factor", new FactorHolder(factor));
        ctx.save_data("form", form);
        return output;
    }

    /// <summary>
    /// The layer's output and its activation factor, without an autograd node; written into <paramref name="output"/>
    /// ([n, dout]) and <paramref name="factorOut"/> ([<see cref="NgcfForm.FactorRows"/>(n), dout], contiguous) when
    /// given, else into new tensors. Split terms: the factor's planes are a₁, a₂ (each term's LeakyReLU slope) and the
    /// dropout mask that <paramref name="act"/> writes.
    /// </summary>
    internal static unsafe (Tensor Output, Tensor Factor) Forward(Tensor side, Tensor ego, Tensor w1, Tensor b1, Tensor w2, Tensor b2,
                                                                  NgcfActivation act, NgcfForm form, Tensor? output = null, Tensor? factorOut = null)
    {
        using var s = side.contiguous();
        using var e = ego.contiguous();
        int n = (int)s.shape[0], din = (int)s.shape[1], dout = (int)w1.shape[0];
        Validate(s, e, w1, w2, din, dout);
        bool split = form.Split, withSelf = form.WithSelf;
        float slope = form.SplitSlope ?? 0f;
        // Stacked weights [2din × dout]: row i is column i of W1 (i < din) or of W2, so X · B = h − b.
        var stacked = new float[2 * din * dout];
        CopyTransposed(w1, stacked.AsSpan(0, din * dout));
        CopyTransposed(w2, stacked.AsSpan(din * dout));
        // One bias b1 + b2 for the summed terms; b1 then b2 for split ones.
        var bias = new float[split ? 2 * dout : dout];
        using (var d1 = b1.detach())
        using (var d2 = b2.detach())
        using (var bb = (split ? cat([d1, d2]) : d1 + d2).contiguous()) TensorMemory.Floats(bb).CopyTo(bias);
        var h = output ?? empty(n, dout);
        var factor = factorOut ?? empty(form.FactorRows(n), dout);
        int tile = TileRows(din, dout), tiles = (n + tile - 1) / tile;
        fixed (float* ps = TensorMemory.Floats(s), pe = TensorMemory.Floats(e), ph = TensorMemory.Floats(h), pb = stacked, pbias = bias,
               pf = TensorMemory.Floats(factor))
        {
            var (sa, ea, ha, ba, biasa, fa) = ((nint)ps, (nint)pe, (nint)ph, (nint)pb, (nint)pbias, (nint)pf);
            long plane = (long)n * dout;
            Parallel.For(0, tiles, t =>
            {
                int r0 = t * tile, rows = Math.Min(tile, n - r0);
                float* x = stackalloc float[tile * 2 * din];
                float* st = (float*)sa + (long)r0 * din, et = (float*)ea + (long)r0 * din, ht = (float*)ha + (long)r0 * dout;
                if (!split)
                {
                    Messages(st, et, rows, din, withSelf, x, x + din, 2 * din);
                    DenseKernels.MultiplyAdd(x, rows, 2 * din, (float*)ba, dout, (float*)biasa, ht);
                    return;
                }
                // Split terms: X₁ = S and X₂ = S ⊙ E as two blocks of the tile, each times its own weights.
                float* h2 = stackalloc float[tile * dout];
                Messages(st, et, rows, din, false, x, x + rows * din, din);
                DenseKernels.MultiplyAdd(x, rows, din, (float*)ba, dout, (float*)biasa, ht);
                DenseKernels.MultiplyAdd(x + rows * din, rows, din, (float*)ba + din * dout, dout, (float*)biasa + dout, h2);
                float* a1 = (float*)fa + (long)r0 * dout;
                SplitLeakyRelu(ht, h2, rows * dout, slope, a1, a1 + plane);
            });
        }
        // Summed terms: LeakyReLU and dropout as the factor; split ones: dropout alone, into the mask plane.
        act(TensorMemory.Floats(h), TensorMemory.Floats(factor).Slice(split ? 2 * n * dout : 0, n * dout));
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
            var form = (NgcfForm)ctx.get_data("form");
            var gs = empty(s.shape[0], s.shape[1]);
            var ge = empty(s.shape[0], s.shape[1]);
            var (gw1, gw2, gb1, gb2) = Backward(s, e, saved[2], saved[3], factor, g, form, TensorMemory.Floats(gs), TensorMemory.Floats(ge));
            BackwardOutputs.KeepAll(gs, ge, gw1, gb1, gw2, gb2);
            gradOutput.Dispose();
            return [gs, ge, gw1, gb1, gw2, gb2, null!, null!];
        }
        finally
        {
            foreach (var t in saved) t.Dispose();
        }
    }

    /// <summary>
    /// The layer's backward without an autograd node: from g = dL/dE' (contiguous, [n, dout]) writes dL/dS into
    /// <paramref name="gs"/> and dL/dE into <paramref name="ge"/> (both [n, din], every value written) and returns
    /// dW1, dW2 in Linear's layout and db1, db2 (equal unless the terms are split). s, e, factor and g must be contiguous.
    /// </summary>
    internal static unsafe (Tensor W1, Tensor W2, Tensor B1, Tensor B2) Backward(Tensor s, Tensor e, Tensor w1, Tensor w2, Tensor factor, Tensor g,
                                                                                 NgcfForm form, Span<float> gs, Span<float> ge)
    {
        int n = (int)s.shape[0], din = (int)s.shape[1], dout = (int)w1.shape[0], k = 2 * din;
        if (gs.Length < (long)n * din || ge.Length < (long)n * din) throw new ArgumentException("gradient buffers are too small.");
        bool split = form.Split, withSelf = form.WithSelf;
        // Summed terms: [W1 | W2] row-major [dout × 2din], so Gh · that = [dX₁ | dX₂]. Split: W1 then W2, each [dout × din].
        var joined = new float[dout * k];
        using (var d1 = w1.detach())
        using (var d2 = w2.detach())
        using (var both = cat([d1, d2], split ? 0 : 1)) TensorMemory.Floats(both).CopyTo(joined);
        int tile = TileRows(din, dout), tiles = (n + tile - 1) / tile, parts = Math.Min(Parts, tiles);
        int biases = split ? 2 * dout : dout, stride = k * dout + biases;
        var acc = Scratch.Get(3, parts * stride);
        acc.Clear();
        fixed (float* ps = TensorMemory.Floats(s), pe = TensorMemory.Floats(e), pg = TensorMemory.Floats(g), pf = TensorMemory.Floats(factor),
               pj = joined, pgs = gs, pge = ge, pacc = acc)
        {
            var (sa, ea, ga, fa, ja, gsa, gea, acca) = ((nint)ps, (nint)pe, (nint)pg, (nint)pf, (nint)pj, (nint)pgs, (nint)pge, (nint)pacc);
            long plane = (long)n * dout;
            Parallel.For(0, parts, p =>
            {
                float* x = stackalloc float[tile * k];
                float* dx = stackalloc float[tile * k];
                float* gh = stackalloc float[tile * dout * (split ? 2 : 1)];
                float* myW = (float*)acca + (long)p * stride, myB = myW + k * dout;
                int t0 = (int)((long)tiles * p / parts), t1 = (int)((long)tiles * (p + 1) / parts);
                for (int t = t0; t < t1; t++)
                {
                    int r0 = t * tile, rows = Math.Min(tile, n - r0);
                    float* st = (float*)sa + (long)r0 * din, et = (float*)ea + (long)r0 * din, gt = (float*)ga + (long)r0 * dout;
                    float* gst = (float*)gsa + (long)r0 * din, get = (float*)gea + (long)r0 * din;
                    if (!split)
                    {
                        Multiply(gt, (float*)fa + (long)r0 * dout, rows * dout, gh);
                        Messages(st, et, rows, din, withSelf, x, x + din, k);
                        DenseKernels.AccumulateTransposed(x, rows, k, gh, dout, myW);
                        SumRows(gh, rows, dout, myB);
                        DenseKernels.MultiplyAdd(gh, rows, dout, (float*)ja, k, null, dx);
                        InputGradients(dx, dx + din, k, st, et, rows, din, withSelf, gst, get);
                        continue;
                    }
                    float* a1 = (float*)fa + (long)r0 * dout, gh2 = gh + rows * dout, x2 = x + rows * din, dx2 = dx + rows * din;
                    SplitGradients(gt, a1, a1 + plane, a1 + 2 * plane, rows * dout, gh, gh2);
                    Messages(st, et, rows, din, false, x, x2, din);
                    DenseKernels.AccumulateTransposed(x, rows, din, gh, dout, myW);
                    DenseKernels.AccumulateTransposed(x2, rows, din, gh2, dout, myW + din * dout);
                    SumRows(gh, rows, dout, myB);
                    SumRows(gh2, rows, dout, myB + dout);
                    DenseKernels.MultiplyAdd(gh, rows, dout, (float*)ja, din, null, dx);
                    DenseKernels.MultiplyAdd(gh2, rows, dout, (float*)ja + dout * din, din, null, dx2);
                    InputGradients(dx, dx2, din, st, et, rows, din, false, gst, get);
                }
            });
        }
        return ReduceParts(acc, parts, din, dout, split);
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

    /// <summary>
    /// Row r of the message terms: x₁[r] = s[r] + e[r] (without self: s[r]) and x₂[r] = s[r] ⊙ e[r], at
    /// x₁ + r · stride and x₂ + r · stride (side by side in one row, or as two blocks).
    /// </summary>
    private static unsafe void Messages(float* s, float* e, int rows, int din, bool withSelf, float* x1, float* x2, int stride)
    {
        for (int r = 0; r < rows; r++)
        {
            float* sr = s + (long)r * din, er = e + (long)r * din, x1r = x1 + (long)r * stride, x2r = x2 + (long)r * stride;
            for (int c = 0; c < din; c += 16)
            {
                var sv = Vector512.Load(sr + c);
                var ev = Vector512.Load(er + c);
                (withSelf ? sv + ev : sv).Store(x1r + c);
                (sv * ev).Store(x2r + c);
            }
        }
    }

    /// <summary>
    /// Split terms' activation: a₁ = h₁ &gt; 0 ? 1 : slope, a₂ likewise, h₁ ← h₁ a₁ + h₂ a₂ (LeakyReLU of each term,
    /// added; libtorch's slope at 0 too), over <paramref name="count"/> values (a multiple of 16).
    /// </summary>
    private static unsafe void SplitLeakyRelu(float* h1, float* h2, int count, float slope, float* a1, float* a2)
    {
        var one = Vector512.Create(1f);
        var s = Vector512.Create(slope);
        for (int i = 0; i < count; i += 16)
        {
            var x1 = Vector512.Load(h1 + i);
            var x2 = Vector512.Load(h2 + i);
            var f1 = Vector512.ConditionalSelect(Vector512.GreaterThan(x1, Vector512<float>.Zero), one, s);
            var f2 = Vector512.ConditionalSelect(Vector512.GreaterThan(x2, Vector512<float>.Zero), one, s);
            f1.Store(a1 + i);
            f2.Store(a2 + i);
            Vector512.FusedMultiplyAdd(x2, f2, x1 * f1).Store(h1 + i);
        }
    }

    /// <summary>Split terms' backward through the activation: gh₁ = g ⊙ m ⊙ a₁, gh₂ = g ⊙ m ⊙ a₂.</summary>
    private static unsafe void SplitGradients(float* g, float* a1, float* a2, float* mask, int count, float* gh1, float* gh2)
    {
        for (int i = 0; i < count; i += 16)
        {
            var gm = Vector512.Load(g + i) * Vector512.Load(mask + i);
            (gm * Vector512.Load(a1 + i)).Store(gh1 + i);
            (gm * Vector512.Load(a2 + i)).Store(gh2 + i);
        }
    }

    private static unsafe void Multiply(float* a, float* b, int count, float* dst)
    {
        for (int i = 0; i < count; i += 16) (Vector512.Load(a + i) * Vector512.Load(b + i)).Store(dst + i);
    }

    /// <summary>dL/dS = dX₁ + dX₂ ⊙ E, dL/dE = dX₁ + dX₂ ⊙ S (without self: dX₂ ⊙ S), row r of dXᵢ at dxᵢ + r · stride.</summary>
    private static unsafe void InputGradients(float* dx1, float* dx2, int stride, float* s, float* e, int rows, int din, bool withSelf, float* gs, float* ge)
    {
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * din;
            float* d1 = dx1 + (long)r * stride, d2 = dx2 + (long)r * stride;
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
    private static (Tensor W1, Tensor W2, Tensor B1, Tensor B2) ReduceParts(Span<float> acc, int parts, int din, int dout, bool split)
    {
        int k = 2 * din, stride = k * dout + (split ? 2 : 1) * dout;
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
        var b1 = tensor(total.AsSpan(k * dout, dout).ToArray());
        var b2 = split ? tensor(total.AsSpan(k * dout + dout, dout).ToArray()) : b1.clone();
        return (w1, w2, b1, b2);
    }

    /// <summary>Keeps the factor tensor in the context's data (TorchSharp warns when a Tensor is saved there directly).</summary>
    private sealed record FactorHolder(Tensor Factor);
}
