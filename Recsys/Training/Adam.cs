using System.Numerics;
using System.Runtime.CompilerServices;
using Recsys.Models.Propagation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>
/// TorchSharp's Adam with the update of contiguous float32 CPU parameters fused into one pass of a SIMD kernel over
/// parameter, gradient and both moments. TorchSharp's step makes about seven tensor passes (mul_, add_, mul_,
/// addcmul_, sqrt, div, add_, addcdiv_) over each parameter; on Gowalla's 4.5M-weight embedding tables that was two
/// thirds of an MF step. Same algorithm, moments and step counts (the update may differ from libtorch's in the last
/// bit of float rounding); other devices, dtypes and options run TorchSharp's step.
/// The class is named Adam because TorchSharp writes the optimizer's type name into saved state and refuses a state
/// whose name differs: checkpoints move freely between this and <see cref="TorchSharp.Modules.Adam"/>.
/// </summary>
public sealed class Adam : TorchSharp.Modules.Adam
{
    private const int Chunk = 1 << 16;
    private readonly double _beta1, _beta2, _eps;
    private double _lr;

    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base(parameters, lr, beta1, beta2, eps)
    {
        (_lr, _beta1, _beta2, _eps) = (lr, beta1, beta2, eps);
    }

    /// <summary>Sets the learning rate of every parameter group (a schedule's step); the fused path follows it.</summary>
    public void SetLearningRate(double lr)
    {
        if (!(lr >= 0) || !double.IsFinite(lr)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "must be finite and ≥ 0.");
        _lr = lr;
        foreach (var group in _parameter_groups) group.Options.LearningRate = lr;
    }

    /// <summary>Whether the last step ran the fused kernel (false: TorchSharp's step).</summary>
    public bool LastStepFused { get; private set; }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        LastStepFused = closure is null && Fusable();
        if (!LastStepFused) return base.step(closure!);
        using var noGrad = no_grad();
        foreach (var group in _parameter_groups)
            foreach (var p in group.Parameters)
            {
                using var grad = p.grad;
                if (grad is null) continue; // like TorchSharp: a parameter without a gradient keeps its moments and step
                var state = (State)_state[p.Handle];
                state.step += 1;
                double bc1 = 1 - Math.Pow(_beta1, state.step), bc2 = 1 - Math.Pow(_beta2, state.step);
                Update(TensorMemory.Floats(p), TensorMemory.Floats(grad), TensorMemory.Floats(state.exp_avg), TensorMemory.Floats(state.exp_avg_sq),
                    new Coefficients((float)_beta1, (float)(1 - _beta1), (float)_beta2, (float)(1 - _beta2), (float)Math.Sqrt(bc2), (float)_eps, (float)(_lr / bc1)));
            }
        return null!;
    }

    /// <summary>One group with this optimizer's own options, every parameter and moment a contiguous float32 CPU tensor.</summary>
    private bool Fusable()
    {
        if (_parameter_groups.Count != 1) return false;
        var o = (Options)_parameter_groups[0].Options;
        if (o.amsgrad == true || o.maximize == true || o.weight_decay is not (null or 0) || o.LearningRate != _lr
            || o.beta1 != _beta1 || o.beta2 != _beta2 || o.eps != _eps) return false;
        foreach (var p in _parameter_groups[0].Parameters)
        {
            var s = (State)_state[p.Handle];
            if (!IsCpuFloat(p) || !IsCpuFloat(s.exp_avg) || !IsCpuFloat(s.exp_avg_sq)) return false;
            using var g = p.grad;
            if (g is not null && !IsCpuFloat(g)) return false;
        }
        return true;
    }

    private static bool IsCpuFloat(Tensor t) => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous();

    private readonly record struct Coefficients(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float SqrtBc2, float Eps, float StepSize);

    private static void Update(Span<float> p, Span<float> g, Span<float> m, Span<float> v, Coefficients c)
    {
        if (p.Length <= Chunk) { Kernel(p, g, m, v, c); return; }
        unsafe
        {
            fixed (float* pp = p, pg = g, pm = m, pv = v)
            {
                nint ap = (nint)pp, ag = (nint)pg, am = (nint)pm, av = (nint)pv;
                int n = p.Length, chunks = (n + Chunk - 1) / Chunk;
                Parallel.For(0, chunks, k =>
                {
                    int start = k * Chunk, len = Math.Min(Chunk, n - start);
                    Kernel(new Span<float>((float*)ap + start, len), new Span<float>((float*)ag + start, len),
                           new Span<float>((float*)am + start, len), new Span<float>((float*)av + start, len), c);
                });
            }
        }
    }

    /// <summary>m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; p ← p − (lr / bc1) · m / (√v / √bc2 + ε).</summary>
    /// <remarks>The update is memory-bound (7 floats moved per 5 computed), so the hardware's default vector width is
    /// as fast as a wider one; the same element-wise operations run in the vector body and the scalar tail.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(Span<float> p, Span<float> g, Span<float> m, Span<float> v, Coefficients c)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b1 = new Vector<float>(c.Beta1); var ob1 = new Vector<float>(c.OneMinusBeta1);
            var b2 = new Vector<float>(c.Beta2); var ob2 = new Vector<float>(c.OneMinusBeta2);
            var sb = new Vector<float>(c.SqrtBc2); var eps = new Vector<float>(c.Eps); var lr = new Vector<float>(c.StepSize);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g[i..]);
                var mi = new Vector<float>(m[i..]) * b1 + gi * ob1;
                var vi = new Vector<float>(v[i..]) * b2 + gi * gi * ob2;
                var pi = new Vector<float>(p[i..]) - lr * mi / (Vector.SquareRoot(vi) / sb + eps);
                mi.CopyTo(m[i..]); vi.CopyTo(v[i..]); pi.CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] = m[i] * c.Beta1 + gi * c.OneMinusBeta1;
            float vi = v[i] = v[i] * c.Beta2 + gi * gi * c.OneMinusBeta2;
            p[i] -= c.StepSize * mi / (MathF.Sqrt(vi) / c.SqrtBc2 + c.Eps);
        }
    }
}
