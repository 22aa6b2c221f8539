using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>
/// Scalars that live as long as the process, for hot paths that run outside a <see cref="GcQuiet"/> region or longer
/// than its budget (TIGER's decoding on several threads). TorchSharp 0.107 converts a number argument to a temporary
/// <c>Scalar</c> — explicitly (<c>masked_fill(mask, -∞)</c>, <c>div(√d)</c>) or inside its own code
/// (<c>a + b</c> is <c>add(b, 1)</c>) — and does not keep it alive across the native call, so a collection on any thread
/// can finalize it while libtorch reads it ("Scalar.h toFloat"). A scalar held in a static field is never
/// finalized, so calls that take theirs from here are immune however the GC runs.
/// </summary>
public static class KeptScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>The integer 1 (the alpha TorchSharp passes for a plain <c>a + b</c>).</summary>
    public static Scalar One { get; } = Of(1L);

    /// <summary>A kept scalar of <paramref name="value"/> (double), created once per distinct value.</summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, v => v.ToScalar());

    /// <summary>A kept scalar of <paramref name="value"/> (int64), created once per distinct value.</summary>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary><c>a + b</c> with a kept alpha instead of TorchSharp's temporary one (same result, bit for bit).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>
    /// <paramref name="x"/> / max(‖x‖₂, 1e-12) along <paramref name="dim"/>: libtorch's own <c>normalize</c> arithmetic
    /// (norm, clamp, divide; the same values and gradients, bit for bit) with a kept epsilon instead of a temporary.
    /// </summary>
    public static Tensor L2Normalized(this Tensor x, long dim) =>
        x.div(x.norm((int)dim, keepdim: true, p: 2f).clamp_min(Of(1e-12)));
}
