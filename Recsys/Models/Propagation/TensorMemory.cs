using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>Zero-copy views of contiguous CPU float32 tensors as spans, so C# kernels read and write tensor memory in place.</summary>
public static class TensorMemory
{
    /// <summary>The tensor's storage as floats; the tensor must be a contiguous CPU float32 tensor and outlive the span.</summary>
    public static Span<float> Floats(Tensor t)
    {
        if (t.device_type != TorchSharp.DeviceType.CPU) throw new ArgumentException($"expected a CPU tensor, got {t.device}.");
        if (t.dtype != ScalarType.Float32) throw new ArgumentException($"expected float32, got {t.dtype}.");
        if (!t.is_contiguous()) throw new ArgumentException("expected a contiguous tensor.");
        return MemoryMarshal.Cast<byte, float>(t.bytes);
    }
}
