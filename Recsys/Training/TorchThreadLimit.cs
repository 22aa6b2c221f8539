using static TorchSharp.torch;

namespace Recsys.Training;

/// <summary>Sets libtorch's intra-op thread count for a CPU training loop and restores the previous count on dispose.</summary>
public sealed class TorchThreadLimit : IDisposable
{
    private readonly int _previous;

    private TorchThreadLimit(int threads)
    {
        _previous = get_num_threads();
        set_num_threads(threads);
    }

    /// <summary>
    /// A limit of <paramref name="threads"/> when training on CPU and threads &gt; 0, otherwise nothing to undo.
    /// On CPU it also applies <see cref="NativeHeap.KeepLargeBlocks"/>.
    /// </summary>
    public static IDisposable? ForCpu(Device device, int threads)
    {
        if (device.type != TorchSharp.DeviceType.CPU) return null;
        NativeHeap.KeepLargeBlocks();
        return threads > 0 ? new TorchThreadLimit(threads) : null;
    }

    public void Dispose() => set_num_threads(_previous);
}
