using TorchSharp;

namespace Recsys.Retrieval.Mips;

/// <summary>Options of <see cref="TorchMipsIndex"/>.</summary>
public sealed record TorchMipsOptions
{
    /// <summary>"auto" (cuda when torch.cuda.is_available(), else cpu), "cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "auto";
    /// <summary>
    /// Device memory one query block may use for its score matrix and top-k workspace; the block holds
    /// about BlockBytes / (items · 8) queries. 0 = 256 MiB on CPU, 1 GiB on CUDA.
    /// </summary>
    public long BlockBytes { get; init; }

    public void Validate()
    {
        if (BlockBytes < 0) throw new ArgumentOutOfRangeException(nameof(BlockBytes), BlockBytes, "must be ≥ 0 (0 = by device).");
        if (Device is not ("auto" or "cpu" or "cuda") && !Device.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentOutOfRangeException(nameof(Device), Device, "expected auto, cpu, cuda or cuda:N.");
    }

    /// <summary>The torch device <see cref="Device"/> names on this machine.</summary>
    public torch.Device ResolveDevice()
    {
        if (Device == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (Device != "cpu" && !torch.cuda.is_available())
            throw new ArgumentOutOfRangeException(nameof(Device), Device, "CUDA is not available (this build uses libtorch-cpu or no GPU is present); use --device cpu or auto.");
        return torch.device(Device);
    }
}
