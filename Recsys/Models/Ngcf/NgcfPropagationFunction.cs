using Recsys.Graphs;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>What one NGCF training propagation on CPU needs besides its tensors.</summary>
/// <param name="A">The step's Â (with dropped entries under node dropout).</param>
/// <param name="AT">Its transpose, for the backward.</param>
/// <param name="Rows">The batch's distinct node rows, in the order of the output's rows.</param>
/// <param name="Activations">Per layer: LeakyReLU, with message dropout when training (only the dropout with split terms).</param>
/// <param name="Form">How each layer combines its terms (the variant's <see cref="NgcfForm"/>).</param>
/// <param name="Workspace">The model's reusable buffers.</param>
/// <param name="Release">Called once the backward has run (hands a step's dropped Â back to <see cref="EdgeDropout"/>).</param>
internal sealed record NgcfPropagationPlan(CsrMatrix A, CsrMatrix AT, int[] Rows, NgcfActivation[] Activations, NgcfForm Form, NgcfWorkspace Workspace,
                                           Action? Release);

/// <summary>
/// A whole NGCF training propagation on CPU as one autograd function: from the ego embeddings E₀ [N, d₀] it runs
/// the full layers 1..L−1 (S = Â E, then <see cref="NgcfLayerFunction.Forward"/>), the last layer at the batch's rows
/// only, and returns [E₀ | E₁/‖E₁‖ | … | E_L/‖E_L‖] at those rows. Composing the per-layer nodes through libtorch
/// cost ≈ 20 ms of a ≈ 118 ms Gowalla step in glue: zero-filled N × d gradients for every row gather, single-threaded
/// adds where a node's output feeds several ops (Â E, the self term, the kept rows). Here the backward writes each
/// dE_{k−1} once: Âᵀ dS_k by the CSR kernel, then dE-self and the kept rows' normalisation gradient added in the
/// same parallel pass. Same kernels, masks and draw order as the composed path; sums land in another order.
/// Arguments: (Tensor e0, then per layer Tensor w1, b1, w2, b2, then <see cref="NgcfPropagationPlan"/>).
/// </summary>
internal sealed class NgcfPropagationFunction : autograd.SingleTensorFunction<NgcfPropagationFunction>
{
    /// <summary>F.normalize's floor on a row norm.</summary>
    private const float Eps = 1e-12f;

    public override string Name => "NgcfPropagation";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        BackwardOutputs.Release();
        using var _ = StepProfile.Time("    ngcf propagation forward");
        var plan = (NgcfPropagationPlan)vars[^1];
        int layers = (vars.Length - 2) / 4;
        var e0 = ((Tensor)vars[0]).contiguous();
        var weights = new Tensor[4 * layers];
        for (int i = 0; i < weights.Length; i++) weights[i] = (Tensor)vars[1 + i];
        var rows = plan.Rows;
        int n = (int)e0.shape[0], b = rows.Length;
        var dims = new int[layers + 1];
        dims[0] = (int)e0.shape[1];
        for (int k = 0; k < layers; k++) dims[k + 1] = (int)weights[4 * k].shape[0];
        var output = empty(b, dims.Sum());
        var outF = TensorMemory.Floats(output);
        int total = dims.Sum(), col = dims[0];
        GatherRows(TensorMemory.Floats(e0), dims[0], rows, outF, total);

        var state = new State(n, layers);
        var ws = state.Workspace = plan.Workspace.Acquire(state);
        var input = e0;
        for (int k = 0; k < layers; k++)
        {
            bool last = k == layers - 1;
            Tensor side, self;
            if (last)
            {
                side = empty(b, dims[k]);
                using (StepProfile.Time("      csr rows forward"))
                    CsrKernels.MultiplyRows(plan.A, rows, TensorMemory.Floats(input), TensorMemory.Floats(side), dims[k]);
                self = empty(b, dims[k]);
                GatherRows(TensorMemory.Floats(input), dims[k], rows, TensorMemory.Floats(self), dims[k]);
            }
            else
            {
                side = ws.Get($"side{k}", n, dims[k]);
                using (StepProfile.Time("      csr spmm forward"))
                    CsrKernels.Multiply(plan.A, TensorMemory.Floats(input), TensorMemory.Floats(side), dims[k]);
                self = input;
            }
            Tensor h, factor;
            using (StepProfile.Time("      ngcf layer forward"))
                (h, factor) = NgcfLayerFunction.Forward(side, self, weights[4 * k], weights[4 * k + 1], weights[4 * k + 2], weights[4 * k + 3],
                                                        plan.Activations[k], plan.Form,
                                                        last ? null : ws.Get($"h{k}", n, dims[k + 1]), last ? null : ws.Get($"factor{k}", plan.Form.FactorRows(n), dims[k + 1]));
            var keptT = empty(b, dims[k + 1]);
            var kept = TensorMemory.Floats(keptT);
            if (last) TensorMemory.Floats(h).CopyTo(kept);
            else GatherRows(TensorMemory.Floats(h), dims[k + 1], rows, kept, dims[k + 1]);
            var norms = Normalize(kept, b, dims[k + 1]);
            for (int r = 0; r < b; r++) kept.Slice(r * dims[k + 1], dims[k + 1]).CopyTo(outF.Slice(r * total + col, dims[k + 1]));
            col += dims[k + 1];
            state.Layers[k] = new LayerState(side, self, factor, keptT, norms);
            input = h;
        }
        state.Dims = dims;
        ctx.save_for_backward(weights.ToList());
        ctx.save_data("state", state);
        ctx.save_data("plan", plan);
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var _ = StepProfile.Time("    ngcf propagation backward");
        var state = (State)ctx.get_data("state");
        var plan = (NgcfPropagationPlan)ctx.get_data("plan");
        var weights = ctx.get_saved_variables();
        try
        {
            using var g = gradOutput.contiguous();
            var gF = TensorMemory.Floats(g);
            var dims = state.Dims;
            var rows = plan.Rows;
            int layers = state.Layers.Length, b = rows.Length, total = dims.Sum(), n = state.Nodes;
            var offsets = new int[layers + 1];
            for (int k = 1; k <= layers; k++) offsets[k] = offsets[k - 1] + dims[k - 1];
            var grads = new Tensor?[1 + 4 * layers + 1];

            // dL/dE_L at the rows, through the last normalisation.
            var gRows = empty(b, dims[layers]);
            NormalizeBackward(gF, total, offsets[layers], state.Layers[layers - 1], dims[layers], TensorMemory.Floats(gRows), null);
            Tensor dPrev = null!;
            for (int k = layers - 1; k >= 0; k--)
            {
                var ls = state.Layers[k];
                bool last = k == layers - 1;
                int din = dims[k];
                // Batch-row buffers are small and change size every step: fresh tensors in the step's scope.
                var gsT = last ? empty(b, din) : state.Workspace.Get("gs", n, din);
                var geT = last ? empty(b, din) : state.Workspace.Get("ge", n, din);
                Span<float> gs = TensorMemory.Floats(gsT), ge = TensorMemory.Floats(geT);
                (Tensor W1, Tensor W2, Tensor B1, Tensor B2) dw;
                using (StepProfile.Time("      ngcf layer backward"))
                {
                    dw = NgcfLayerFunction.Backward(ls.Side, ls.Self, weights[4 * k], weights[4 * k + 2], ls.Factor, last ? gRows : dPrev, plan.Form, gs, ge);
                    if (last) gRows.Dispose();
                }
                grads[1 + 4 * k] = dw.W1; grads[2 + 4 * k] = dw.B1; grads[3 + 4 * k] = dw.W2; grads[4 + 4 * k] = dw.B2;
                // dL/dE_{k} (the layer's input) = Âᵀ dS + dSelf + the kept rows' gradient of E_k's own output slice.
                // dE₀ goes to libtorch, which may keep it; the others are this step's own.
                var next = k > 0 ? state.Workspace.Get($"grad{k}", n, din) : empty(n, din);
                var nextF = TensorMemory.Floats(next);
                if (last)
                {
                    using (StepProfile.Time("      csr rows backward"))
                    {
                        var slot = RowSlots.Set(plan.AT.Cols, rows);
                        try { CsrKernels.MultiplySparseRows(plan.AT, slot, gs, nextF, din); }
                        finally { RowSlots.Clear(slot, rows); }
                    }
                    AddRows(ge, din, rows, nextF);
                }
                else
                {
                    using (StepProfile.Time("      csr spmm backward"))
                        CsrKernels.Multiply(plan.AT, gs, nextF, din);
                    Add(ge, nextF);
                }
                // E_k's own output slice at the rows: through its normalisation, or as it is for E₀.
                if (k > 0) NormalizeBackward(gF, total, offsets[k], state.Layers[k - 1], din, nextF, rows);
                else
                    for (int i = 0; i < b; i++)
                    {
                        var yr = nextF.Slice(rows[i] * din, din);
                        System.Numerics.Tensors.TensorPrimitives.Add(yr, gF.Slice(i * total, din), yr);
                    }
                dPrev = next;
            }
            grads[0] = dPrev;
            var keep = grads.Where(t => t is not null).Cast<Tensor>().ToArray();
            BackwardOutputs.KeepAll(keep);
            gradOutput.Dispose();
            return grads.Select(t => t!).ToList();
        }
        finally
        {
            foreach (var t in weights) t.Dispose();
            plan.Workspace.Release(state);
            plan.Release?.Invoke();
        }
    }

    /// <summary>Row i of dst (stride <paramref name="dstStride"/>, first d columns) = src[rows[i]] (width d).</summary>
    private static void GatherRows(ReadOnlySpan<float> src, int d, int[] rows, Span<float> dst, int dstStride)
    {
        for (int i = 0; i < rows.Length; i++) src.Slice(rows[i] * d, d).CopyTo(dst.Slice(i * dstStride, d));
    }

    /// <summary>Each row of v [b, d] divided by max(‖row‖, ε) in place, as F.normalize; returns the row norms.</summary>
    private static float[] Normalize(Span<float> v, int b, int d)
    {
        var norms = new float[b];
        for (int r = 0; r < b; r++)
        {
            var row = v.Slice(r * d, d);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            norms[r] = norm;
            System.Numerics.Tensors.TensorPrimitives.Divide(row, Math.Max(norm, Eps), row);
        }
        return norms;
    }

    /// <summary>
    /// Gradient of y = x / max(‖x‖, ε) per row from g's columns [col, col + d): (g − y (y · g)) / ‖x‖, or g / ε where the
    /// norm is below ε (the clamp then passes no gradient to the norm). Written to dst's row r, or added to its row
    /// rows[r] when <paramref name="rows"/> is given.
    /// </summary>
    private static void NormalizeBackward(ReadOnlySpan<float> g, int stride, int col, LayerState ls, int d, Span<float> dst, int[]? rows)
    {
        var kept = TensorMemory.Floats(ls.Kept);
        for (int r = 0; r < ls.Norms.Length; r++)
        {
            var gr = g.Slice(r * stride + col, d);
            var y = kept.Slice(r * d, d);
            var o = dst.Slice((rows is null ? r : rows[r]) * d, d);
            float norm = ls.Norms[r], dot = norm > Eps ? System.Numerics.Tensors.TensorPrimitives.Dot(y, gr) : 0f, scale = Math.Max(norm, Eps);
            if (rows is null) for (int c = 0; c < d; c++) o[c] = (gr[c] - y[c] * dot) / scale;
            else for (int c = 0; c < d; c++) o[c] += (gr[c] - y[c] * dot) / scale;
        }
    }

    /// <summary>y[rows[i]] += x[i] (rows distinct), width d.</summary>
    private static void AddRows(ReadOnlySpan<float> x, int d, int[] rows, Span<float> y)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            var yr = y.Slice(rows[i] * d, d);
            System.Numerics.Tensors.TensorPrimitives.Add(yr, x.Slice(i * d, d), yr);
        }
    }

    /// <summary>y += x over N × d values, in parallel ranges.</summary>
    private static unsafe void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        const int Range = 1 << 16;
        int len = x.Length;
        fixed (float* px = x, py = y)
        {
            var (xa, ya) = ((nint)px, (nint)py);
            Parallel.For(0, (len + Range - 1) / Range, c =>
            {
                int i0 = c * Range, count = Math.Min(Range, len - i0);
                var xs = new ReadOnlySpan<float>((float*)xa + i0, count);
                var ys = new Span<float>((float*)ya + i0, count);
                System.Numerics.Tensors.TensorPrimitives.Add(ys, xs, ys);
            });
        }
    }

    /// <summary>One layer's saved forward values: its S and self input (full or at the rows), activation factor, normalised kept rows and their norms.</summary>
    private sealed record LayerState(Tensor Side, Tensor Self, Tensor Factor, Tensor Kept, float[] Norms);

    private sealed class State(int nodes, int layers)
    {
        public int Nodes { get; } = nodes;
        public LayerState[] Layers { get; } = new LayerState[layers];
        public int[] Dims { get; set; } = [];
        public NgcfWorkspace Workspace { get; set; } = null!;
    }
}
