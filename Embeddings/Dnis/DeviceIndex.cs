using static TorchSharp.torch;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// An int64 index computed from the data (which block an id is in, its place there), kept outside the module's state
/// so it is neither saved nor counted, with a copy on the device last asked for. Both tensors live outside any dispose
/// scope: a step's scope must not free them.
/// </summary>
internal sealed class DeviceIndex : IDisposable
{
    private readonly Tensor _cpu;
    private Tensor? _copy;

    public DeviceIndex(IEnumerable<int> values) => _cpu = tensor(values.Select(v => (long)v).ToArray()).DetachFromDisposeScope();

    /// <summary>The index on <paramref name="device"/>.</summary>
    public Tensor On(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CPU) return _cpu;
        if (_copy is null || _copy.device.type != device.type || _copy.device.index != device.index)
        {
            _copy?.Dispose();
            _copy = _cpu.to(device).DetachFromDisposeScope();
        }
        return _copy;
    }

    public void Dispose()
    {
        _copy?.Dispose();
        _cpu.Dispose();
    }
}
