using System.Runtime;

namespace Recsys.Training;

/// <summary>
/// Holds the garbage collector off for one stretch of TorchSharp calls (a training step). TorchSharp 0.107 hands
/// libtorch the native handle of temporary <c>Scalar</c>s (<c>Tensor.add(t)</c> calls <c>add(t, 1)</c>; <c>tensor * 0.5</c>
/// converts the double) without keeping the managed object alive, so a GC on any thread during the native call can
/// finalize the Scalar and free it while libtorch reads it. We hit it once in roughly 50k Last.FM steps: "Expected false
/// to be true ... Scalar.h toFloat" from THSTensor_add in the BPR loss, and the process aborted. Inside a no-GC region no
/// collection runs, so no temporary is finalized mid-call. Entering the region costs one blocking collection (measured
/// under 1 ms per step); a step that allocates more than the budget gets an ordinary collection and simply runs
/// unprotected, as without this guard. Nested use is harmless (the inner one is inactive).
/// </summary>
public readonly struct GcQuiet : IDisposable
{
    private const long Budget = 64L << 20;
    private readonly bool _active;

    private GcQuiet(bool active) => _active = active;

    public static GcQuiet Enter()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        try { return new GcQuiet(GC.TryStartNoGCRegion(Budget)); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException) { return default; }
    }

    public void Dispose()
    {
        if (!_active || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try { GC.EndNoGCRegion(); }
        catch (InvalidOperationException) { } // the budget was exceeded and the region already ended
    }
}
