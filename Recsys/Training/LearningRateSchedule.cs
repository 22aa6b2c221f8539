using System.Globalization;

namespace Recsys.Training;

/// <summary>How the learning rate moves over a run (see <see cref="LearningRateSchedule"/>).</summary>
public enum LearningRateShape
{
    /// <summary>The base rate throughout (after the warm-up, if any).</summary>
    Constant,
    /// <summary>Inverse square root decay after the warm-up: rate × √(W / step) — T5's and TIGER's schedule.</summary>
    InverseSqrt,
    /// <summary>Cosine decay from the base rate to 0 over the steps after the warm-up.</summary>
    Cosine,
}

/// <summary>
/// A multiplier of every parameter group's learning rate, a function of the optimizer step alone (so a resumed run
/// steps with exactly the rates an uninterrupted one would). Steps count per training phase: step s of a phase with n
/// batches per epoch in epoch e is (e − 1)·n + b, of <c>Epochs · n</c> in all. During the first W steps (the warm-up)
/// the rate climbs linearly, (s + 1) / W; after it:
/// <list type="bullet">
/// <item>constant: 1;</item>
/// <item>inverse-sqrt: √(W / (s + 1)) (with W = 0: 1 / √(s + 1));</item>
/// <item>cosine: ½ (1 + cos(π (s − W) / (T − W))), reaching 0 at the last step T.</item>
/// </list>
/// </summary>
public sealed record LearningRateSchedule
{
    public LearningRateShape Shape { get; init; } = LearningRateShape.Constant;

    /// <summary>Steps of linear warm-up (0 = none).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The factor of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public double Factor(long step, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step, nameof(step));
        if (step < WarmupSteps) return (step + 1.0) / WarmupSteps;
        return Shape switch
        {
            LearningRateShape.InverseSqrt => Math.Sqrt(Math.Max(1, WarmupSteps) / (step + 1.0)),
            LearningRateShape.Cosine => totalSteps <= WarmupSteps ? 1
                : 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, (double)(step - WarmupSteps) / (totalSteps - WarmupSteps)))),
            _ => 1,
        };
    }

    public void Validate()
    {
        if (!Enum.IsDefined(Shape)) throw new ArgumentOutOfRangeException(nameof(Shape), Shape, "unknown schedule.");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "must be ≥ 0.");
    }

    /// <summary>The command-line names of the shapes.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "inverse-sqrt", "cosine"];

    /// <summary>"constant" | "inverse-sqrt" | "cosine" (case-insensitive), with <paramref name="warmupSteps"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown name, named <paramref name="parameter"/>.</exception>
    public static LearningRateSchedule Parse(string name, int warmupSteps, string parameter)
    {
        var shape = name.ToLowerInvariant() switch
        {
            "constant" => LearningRateShape.Constant,
            "inverse-sqrt" => LearningRateShape.InverseSqrt,
            "cosine" => LearningRateShape.Cosine,
            _ => throw new ArgumentOutOfRangeException(parameter, name, $"unknown schedule '{name}'; one of: {string.Join(", ", Names)}."),
        };
        return new LearningRateSchedule { Shape = shape, WarmupSteps = warmupSteps };
    }

    public override string ToString() => (Shape switch
    {
        LearningRateShape.InverseSqrt => "inverse-sqrt",
        LearningRateShape.Cosine => "cosine",
        _ => "constant",
    }) + (WarmupSteps > 0 ? string.Create(CultureInfo.InvariantCulture, $", warm-up {WarmupSteps} steps") : "");
}
