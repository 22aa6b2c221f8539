using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Training;

public class KeptScalarsTests
{
    [Fact]
    public void KeptOperationsMatchTorchSharpsOwn()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3, CPU);
        var a = randn([5, 7], generator: g);
        var b = randn([5, 7], generator: g);
        Assert.Equal((a + b).data<float>().ToArray(), a.Plus(b).data<float>().ToArray());   // bit for bit

        var rows = cat([a, zeros(1, 7)]);   // a zero row: the epsilon keeps it zero instead of NaN
        var want = nn.functional.normalize(rows, p: 2, dim: 1).data<float>().ToArray();
        var got = rows.L2Normalized(1).data<float>().ToArray();
        Assert.Equal(want, got);   // libtorch's normalize arithmetic, bit for bit
        Assert.All(got.TakeLast(7), v => Assert.Equal(0f, v));

        // Gradients too, the zero row's included (finite, as nn.functional.normalize's; a √Σx² form gives NaN there).
        var w = randn([6, 7], generator: g);
        float[] Grad(Func<Tensor, Tensor> f)
        {
            var leaf = rows.detach().requires_grad_(true);
            (f(leaf) * w).sum().backward();
            return leaf.grad!.data<float>().ToArray();
        }
        var wantGrad = Grad(x => nn.functional.normalize(x, p: 2, dim: 1));
        var gotGrad = Grad(x => x.L2Normalized(1));
        Assert.All(gotGrad, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(wantGrad, gotGrad);
    }

    [Fact]
    public void AScalarIsMadeOncePerValueAndKept()
    {
        Assert.Same(KeptScalars.Of(0.125), KeptScalars.Of(0.125));
        Assert.Same(KeptScalars.Of(3L), KeptScalars.Of(3L));
        Assert.NotSame(KeptScalars.Of(3L), KeptScalars.Of(3.0));   // an int64 and a double scalar are different arguments to libtorch
        Assert.Same(KeptScalars.One, KeptScalars.Of(1L));
    }
}
