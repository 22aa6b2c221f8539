using System.Globalization;
using System.Text.Json.Serialization;
using TorchSharp;

namespace Recsys.Devices;

/// <summary>
/// Which torch device to run on: <see cref="Auto"/> (CUDA when <c>torch.cuda.is_available()</c>, else CPU),
/// <see cref="Cpu"/>, or <see cref="Cuda"/> (the current CUDA device, or CUDA device N). Its text forms are the CLI's
/// <c>--device</c> values and what run.json holds: "auto", "cpu", "cuda", "cuda:N" (<see cref="Parse"/> / <see cref="ToString"/>).
/// <c>default(DeviceChoice)</c> is <see cref="Auto"/>.
/// </summary>
[JsonConverter(typeof(DeviceChoiceJsonConverter))]
public readonly record struct DeviceChoice
{
    private enum Kind : byte { Auto, Cpu, Cuda }

    private readonly Kind _kind;

    private DeviceChoice(Kind kind, int? cudaIndex) { _kind = kind; CudaIndex = cudaIndex; }

    /// <summary>CUDA when available, else CPU ("auto").</summary>
    public static DeviceChoice Auto => default;

    /// <summary>The CPU ("cpu").</summary>
    public static DeviceChoice Cpu { get; } = new(Kind.Cpu, null);

    /// <summary>CUDA: the current device ("cuda") when <paramref name="index"/> is null, else device <paramref name="index"/> ("cuda:N").</summary>
    public static DeviceChoice Cuda(int? index = null) =>
        index is < 0 ? throw new ArgumentOutOfRangeException(nameof(index), index, "a CUDA device index must be ≥ 0.") : new(Kind.Cuda, index);

    public bool IsAuto => _kind == Kind.Auto;
    public bool IsCpu => _kind == Kind.Cpu;
    public bool IsCuda => _kind == Kind.Cuda;

    /// <summary>The N of "cuda:N"; null for "cuda", "cpu" and "auto".</summary>
    public int? CudaIndex { get; }

    /// <summary>
    /// Reads "auto", "cpu", "cuda" or "cuda:N" (N a non-negative integer; exact, lower-case). Anything else throws
    /// <see cref="ArgumentOutOfRangeException"/> named <paramref name="paramName"/> (default "device"; a front end maps the
    /// parameter name to its own option name).
    /// </summary>
    public static DeviceChoice Parse(string value, string paramName = "device")
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        switch (value)
        {
            case "auto": return Auto;
            case "cpu": return Cpu;
            case "cuda": return Cuda();
        }
        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return Cuda(index);
        throw new ArgumentOutOfRangeException(paramName, value, $"expected auto, cpu, cuda or cuda:N (N = CUDA device index), got '{value}'.");
    }

    /// <summary>"auto", "cpu", "cuda" or "cuda:N" — the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => _kind switch
    {
        Kind.Cpu => "cpu",
        Kind.Cuda => CudaIndex is { } i ? "cuda:" + i.ToString(CultureInfo.InvariantCulture) : "cuda",
        _ => "auto",
    };

    /// <summary>
    /// The torch device this choice names on this machine: auto → CUDA when <c>torch.cuda.is_available()</c>, else CPU.
    /// CUDA on a machine without it (a libtorch-cpu build or no GPU) throws <see cref="ArgumentOutOfRangeException"/>
    /// (parameter "device": the choice is invalid here, and a front end reports it as a usage error) rather than
    /// silently training or searching on the CPU.
    /// </summary>
    public torch.Device Resolve() => _kind switch
    {
        Kind.Cpu => torch.CPU,
        Kind.Auto => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        _ when !torch.cuda.is_available() => throw new ArgumentOutOfRangeException("device",
            $"device {this} was requested but no CUDA device is available (this build uses libtorch-cpu unless built with -p:Cuda=true, or no GPU is present); choose device cpu or auto."),
        _ => CudaIndex is { } i ? torch.device(DeviceType.CUDA, i) : torch.CUDA,
    };
}
