using Recsys.Devices;

namespace Recsys.Retrieval.Mips;

/// <summary>Options of <see cref="TorchMipsIndex"/>.</summary>
public sealed record TorchMipsOptions
{
    /// <summary>Auto (CUDA when torch.cuda.is_available(), else CPU), Cpu, Cuda() or Cuda(N); resolved by <see cref="DeviceChoice.Resolve"/>.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>
    /// Device memory one query block may use for its score matrix and top-k workspace; the block holds
    /// about BlockBytes / (items · 8) queries. 0 = 256 MiB on CPU, 1 GiB on CUDA.
    /// </summary>
    public long BlockBytes { get; init; }

    public void Validate()
    {
        if (BlockBytes < 0) throw new ArgumentOutOfRangeException(nameof(BlockBytes), BlockBytes, "must be ≥ 0 (0 = by device).");
    }
}
