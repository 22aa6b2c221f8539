using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Tests.Training;

public class AdamTests
{
    // One parameter above the kernel's parallel chunk size, one with a ragged tail, one that never gets a gradient.
    private static Parameter[] MakeParams(long seed)
    {
        using var g = new Generator((ulong)seed);
        return [
            new Parameter(randn([1000, 131], generator: g)),
            new Parameter(randn([37], generator: g)),
            new Parameter(randn([5, 3], generator: g)),
        ];
    }

    private static void Steps(optim.Optimizer opt, Parameter[] ps, int steps)
    {
        using var g = new Generator(7);
        for (int s = 0; s < steps; s++)
        {
            opt.zero_grad();
            using var scope = NewDisposeScope();
            // Sparse-looking gradients as in BPR (most rows zero) plus a dense part.
            var loss = (ps[0] * randn(ps[0].shape, generator: g)).pow(2).sum() * 0.1 + (ps[1] * ps[1]).sum();
            loss.backward();
            opt.step();
        }
    }

    [Fact]
    public void FusedStepMatchesTorchSharpAdam()
    {
        var a = MakeParams(1);
        var b = MakeParams(1);
        using var reference = optim.Adam(a, 0.01);
        using var fused = new Recsys.Training.Adam(b, 0.01);
        Steps(reference, a, 6);
        Steps(fused, b, 6);
        Assert.True(fused.LastStepFused);
        for (int i = 0; i < a.Length; i++)
        {
            var x = a[i].data<float>().ToArray();
            var y = b[i].data<float>().ToArray();
            for (int k = 0; k < x.Length; k++) Assert.Equal(x[k], y[k], 1e-5);
        }
        Assert.Equal(MakeParams(1)[2].data<float>().ToArray(), b[2].data<float>().ToArray()); // no gradient: untouched
        Assert.NotEqual(MakeParams(1)[0].data<float>().ToArray(), b[0].data<float>().ToArray());
    }

    [Fact]
    public void StateMovesBetweenTorchSharpAdamAndFusedAdam()
    {
        var a = MakeParams(2);
        using var reference = optim.Adam(a, 0.01);
        Steps(reference, a, 3);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) reference.save_state_dict(w);

        var b = MakeParams(2);
        for (int i = 0; i < a.Length; i++) using (no_grad()) b[i].copy_(a[i]);
        using var fused = new Recsys.Training.Adam(b, 0.01);
        ms.Position = 0;
        using (var r = new BinaryReader(ms)) fused.load_state_dict(r);
        Steps(reference, a, 2);
        Steps(fused, b, 2);
        var x = a[0].data<float>().ToArray();
        var y = b[0].data<float>().ToArray();
        for (int k = 0; k < x.Length; k++) Assert.Equal(x[k], y[k], 1e-5);
    }
}
