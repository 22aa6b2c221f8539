using System.Runtime;

namespace Recsys.Training;

/// <summary>
/// Holds the garbage collector off for one stretch of TorchSharp calls (a training step). TorchSharp 0.107 hands
/// libtorch the native handle of temporary <c>Scalar</c>s (<c>Tensor.add(t)</c> calls <c>add(t, 1)</c>; <c>tensor * 0.5</c>
/// converts the double) without keeping the managed object alive, so a GC on any thread during the native call can
/// finalize the Scalar and free it while libtorch reads it. We hit it once in roughly 50k Last.FM steps: "Expected false
/// to be true ... Scalar.h toFloat" from THSTensor_add in the BPR loss, and the process aborted. Inside a no-GC region no
/// collection runs, so no temporary is finalized mid-call. Entering the region costs one blocking collection (measured
/// under 1 ms per step); a stretch that allocates more than the budget gets an ordinary collection and simply runs
/// unprotected, as without this guard. The region is process-wide, so holders are counted: the first to enter starts
/// it, the last to leave ends it — threads decoding side by side (TIGER's chunk workers) share one region instead of
/// one thread ending it under the other. Nested use is harmless.
/// </summary>
public readonly struct GcQuiet : IDisposable
{
    private const long Budget = 64L << 20;
    private static readonly object Gate = new();
    private static int _holders;
    private readonly bool _holding;

    private GcQuiet(bool holding) => _holding = holding;

    public static GcQuiet Enter()
    {
        lock (Gate)
        {
            if (_holders++ == 0 && GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            {
                try { GC.TryStartNoGCRegion(Budget); }
                catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException) { }
            }
            return new GcQuiet(true);
        }
    }

    public void Dispose()
    {
        if (!_holding) return;
        lock (Gate)
        {
            if (--_holders > 0 || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
            try { GC.EndNoGCRegion(); }
            catch (InvalidOperationException) { } // the budget was exceeded and the region already ended
        }
    }
}
