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
    /// <paramref name="x"/> / max(‖x‖₂, 1e-12) along <paramref name="dim"/> — <c>nn.functional.normalize</c>'s definition
    /// without the temporary scalars TorchSharp's version creates (its order and epsilon), as x / √max(Σx², 1e-24): the
    /// clamp comes before the root so a zero row (a pruned or all-zero input) gets a zero gradient, not √'s infinite one.
    /// </summary>
    public static Tensor L2Normalized(this Tensor x, long dim) =>
        x.div(x.mul(x).sum(dim, keepdim: true).clamp_min(Of(1e-24)).sqrt());
}
