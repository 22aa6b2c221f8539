using Recsys.Graphs;
using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>
/// Y = A X on CPU as a TorchSharp autograd function backed by the C# CSR kernel. Backward: dL/dX = Aᵀ dL/dY,
/// the same kernel on the transpose (the same matrix when A is symmetric). libtorch's CPU sparse mm was 3–10×
/// slower in trials (issue 4), which is why this exists.
/// Arguments: (Tensor x [A.Cols, d] float32 CPU, CsrMatrix a, CsrMatrix aT).
/// </summary>
internal sealed class CsrSpmmFunction : autograd.SingleTensorFunction<CsrSpmmFunction>
{
    public override string Name => "CsrSpmm";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        BackwardOutputs.Release();
        var x = ((Tensor)vars[0]).contiguous();
        var a = (CsrMatrix)vars[1];
        var aT = (CsrMatrix)vars[2];
        int dim = (int)x.shape[1];
        ctx.save_data("aT", aT);
        using var _ = Recsys.Training.StepProfile.Time("    csr spmm forward");
        var y = empty(a.Rows, dim);
        CsrKernels.Multiply(a, TensorMemory.Floats(x), TensorMemory.Floats(y), dim);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var _ = Recsys.Training.StepProfile.Time("    csr spmm backward");
        var aT = (CsrMatrix)ctx.get_data("aT");
        using var g = gradOutput.contiguous();
        int dim = (int)g.shape[1];
        var gx = BackwardOutputs.Keep(empty(aT.Rows, dim));
        CsrKernels.Multiply(aT, TensorMemory.Floats(g), TensorMemory.Floats(gx), dim);
        gradOutput.Dispose();
        return [gx, null!, null!];
    }
}

/// <summary>
/// Gradients handed back to libtorch from a custom backward must stay alive until the engine has read them, which
/// happens as soon as the backward callback returns. Each thread parks its latest call's gradients here and releases
/// them at its next backward or forward (libtorch holds its own references by then). Per thread, so concurrent trainings in one
/// process never release each other's tensors.
/// </summary>
internal static class BackwardOutputs
{
    [ThreadStatic] private static List<Tensor>? _parked;

    public static Tensor Keep(Tensor t)
    {
        KeepAll(t);
        return t;
    }

    /// <summary>Parks every gradient of one backward call (a function with several differentiable inputs).</summary>
    public static void KeepAll(params Tensor[] ts)
    {
        Release();
        _parked ??= [];
        foreach (var t in ts)
        {
            t.DetachFromDisposeScope();
            _parked.Add(t);
        }
    }

    public static void Release()
    {
        if (_parked is null) return;
        foreach (var t in _parked) t.Dispose();
        _parked.Clear();
    }
}
