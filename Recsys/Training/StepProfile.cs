using System.Diagnostics;

namespace Recsys.Training;

/// <summary>
/// Opt-in wall and CPU stopwatch per named phase of a training step, behind <c>recsys bench train --breakdown</c>.
/// Off by default: <see cref="Time"/> then returns an empty scope and costs one branch. CPU time is the whole
/// process's (all threads), which tracks work better than wall time on a shared machine.
/// </summary>
internal static class StepProfile
{
    private static readonly Dictionary<string, (double WallMs, double CpuMs, int Count)> Totals = new();
    private static readonly List<string> Order = new();
    private static readonly Process Self = Process.GetCurrentProcess();

    public static bool Enabled { get; set; }

    /// <summary>Times the phase until the returned scope is disposed (nested phases are counted in both).</summary>
    public static Scope Time(string phase) => Enabled ? new Scope(phase, Stopwatch.GetTimestamp(), CpuNow()) : default;

    public static void Reset() { lock (Totals) { Totals.Clear(); Order.Clear(); } }

    /// <summary>Phases in first-seen order with total wall ms, total CPU ms and call count.</summary>
    public static IReadOnlyList<(string Phase, double WallMs, double CpuMs, int Count)> Snapshot()
    {
        lock (Totals) return Order.Select(p => (p, Totals[p].WallMs, Totals[p].CpuMs, Totals[p].Count)).ToList();
    }

    private static double CpuNow() => Self.TotalProcessorTime.TotalMilliseconds;

    private static void Add(string phase, double wallMs, double cpuMs)
    {
        lock (Totals)
        {
            if (!Totals.TryGetValue(phase, out var t)) { Order.Add(phase); t = default; }
            Totals[phase] = (t.WallMs + wallMs, t.CpuMs + cpuMs, t.Count + 1);
        }
    }

    public readonly struct Scope(string? phase, long start, double cpu) : IDisposable
    {
        public void Dispose()
        {
            if (phase is null) return;
            Add(phase, Stopwatch.GetElapsedTime(start).TotalMilliseconds, CpuNow() - cpu);
        }
    }
}
