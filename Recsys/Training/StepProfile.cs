using System.Diagnostics;

namespace Recsys.Training;

/// <summary>
/// Opt-in wall and CPU stopwatch per named phase of a training step, behind <c>recsys bench train --breakdown</c>.
/// Off by default: <see cref="Time"/> then returns an empty scope and costs one branch. CPU time is the whole
/// process's (all threads), which tracks work better than wall time on a shared machine. A recording belongs to the
/// flow of control that started it (it flows into tasks it starts; CPU autograd runs backward on the calling thread),
/// so training elsewhere in the process at the same time, e.g. a parallel test, never lands in it.
/// </summary>
public static class StepProfile
{
    private static readonly AsyncLocal<Recording?> Active = new();
    private static readonly Process Self = Process.GetCurrentProcess();

    /// <summary>Starts recording on this flow of control; phases timed until <see cref="Recording.Stop"/> land in it.</summary>
    public static Recording Start() => Active.Value = new Recording();

    /// <summary>Times the phase until the returned scope is disposed (nested phases are counted in both).</summary>
    public static Scope Time(string phase) => Active.Value is { } r ? new Scope(r, phase, Stopwatch.GetTimestamp(), CpuNow()) : default;

    private static double CpuNow() => Self.TotalProcessorTime.TotalMilliseconds;

    public sealed class Recording
    {
        private readonly Dictionary<string, (double WallMs, double CpuMs, int Count)> _totals = new();
        private readonly List<string> _order = new();

        public void Stop() { if (Active.Value == this) Active.Value = null; }

        /// <summary>Phases in first-seen order with total wall ms, total CPU ms and call count.</summary>
        public IReadOnlyList<(string Phase, double WallMs, double CpuMs, int Count)> Snapshot()
        {
            lock (_totals) return _order.Select(p => (p, _totals[p].WallMs, _totals[p].CpuMs, _totals[p].Count)).ToList();
        }

        internal void Add(string phase, double wallMs, double cpuMs)
        {
            lock (_totals)
            {
                if (!_totals.TryGetValue(phase, out var t)) { _order.Add(phase); t = default; }
                _totals[phase] = (t.WallMs + wallMs, t.CpuMs + cpuMs, t.Count + 1);
            }
        }
    }

    public readonly struct Scope(Recording? recording, string? phase, long start, double cpu) : IDisposable
    {
        public void Dispose()
        {
            if (recording is null || phase is null) return;
            recording.Add(phase, Stopwatch.GetElapsedTime(start).TotalMilliseconds, CpuNow() - cpu);
        }
    }
}
