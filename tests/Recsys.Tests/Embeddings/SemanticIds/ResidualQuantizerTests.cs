using Recsys.Embeddings.SemanticIds.RqVae;
using static TorchSharp.torch;

namespace Recsys.Tests.Embeddings.SemanticIds;

/// <summary>RQ-VAE's quantiser: nearest codewords, the codebook/commitment loss and the straight-through gradient, by hand.</summary>
public class ResidualQuantizerTests
{
    [Fact]
    public void AVectorEqualToACodewordGetsThatCodeAndZeroResidual()
    {
        using var scope = NewDisposeScope();
        // Level 1 holds (3, -1) as code 2; level 2's codebook has a zero codeword as code 1.
        var books = tensor(new float[] { 0, 0, 1, 1, 3, -1, 5, 5, /* level 2 */ 1, 1, 0, 0, -1, 2, 4, 4 }, [2, 4, 2]);
        var z = tensor(new float[] { 3, -1, 1, 1 }, [2, 2]);
        var (quantized, codes, loss, residual) = ResidualQuantizer.Quantize(z, books, 0.25);
        Assert.Equal(new long[] { 2, 1, 1, 1 }, codes.data<long>().ToArray());   // (2, 1) and (1, 1): rows are items, columns levels
        Assert.Equal(0f, residual.abs().max().item<float>());
        Assert.Equal(0f, loss.item<float>());
        Assert.Equal(z.data<float>().ToArray(), quantized.data<float>().ToArray());
    }

    [Fact]
    public void NearestBreaksTiesTowardsTheLowerCode()
    {
        using var scope = NewDisposeScope();
        var book = tensor(new float[] { 1, 0, -1, 0 }, [2, 2]);
        var (codes, _) = ResidualQuantizer.Nearest(tensor(new float[] { 0, 1 }, [1, 2]), book);
        Assert.Equal(0L, codes[0].item<long>());
    }

    [Fact]
    public void LossIsCodebookTermPlusBetaTimesCommitmentWithTheirOwnGradients()
    {
        using var scope = NewDisposeScope();
        var r = tensor(new float[] { 1, 2 }, [1, 2]).requires_grad_();
        var e = tensor(new float[] { 0, 0 }, [1, 2]).requires_grad_();
        var loss = ResidualQuantizer.Loss(r, e, 0.25);
        // mean((r−e)²) = (1 + 4) / 2 = 2.5 for each term: 2.5 + 0.25 · 2.5.
        Assert.Equal(3.125, loss.item<float>(), 6);
        loss.backward();
        // d/de of mean((e − sg r)²) = 2(e − r)/2; d/dr of β·mean((r − sg e)²) = β·2(r − e)/2.
        Assert.Equal(new[] { -1f, -2f }, e.grad!.data<float>().ToArray());
        Assert.Equal(new[] { 0.25f, 0.5f }, r.grad!.data<float>().ToArray());
    }

    [Fact]
    public void StraightThroughPassesTheGradientToTheEncoderUnchanged()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new float[] { 0.3f, -0.7f, 2f, 1f }, [2, 2]).requires_grad_();
        var zq = tensor(new float[] { 0, -1, 2, 0 }, [2, 2]).requires_grad_();
        var st = ResidualQuantizer.StraightThrough(z, zq);
        Assert.Equal(zq.data<float>().ToArray(), st.data<float>().ToArray());
        var upstream = tensor(new float[] { 1, -2, 3, 5 }, [2, 2]);
        (st * upstream).sum().backward();
        Assert.Equal(upstream.data<float>().ToArray(), z.grad!.data<float>().ToArray());
        Assert.True(zq.grad is null || zq.grad.abs().sum().item<float>() == 0);
    }

    [Fact]
    public void NetworkInitialisationDependsOnItsSeedNotOnLibtorchsGlobalGenerator()
    {
        using var scope = NewDisposeScope();
        var o = new RqVaeOptions { EncoderWidths = [6], LatentDim = 3 };
        TorchSharp.torch.random.manual_seed(1);
        using var a = new RqVaeNetwork(5, o, 2, 4, seed: 9);
        TorchSharp.torch.random.manual_seed(2);
        using var b = new RqVaeNetwork(5, o, 2, 4, seed: 9);
        using var c = new RqVaeNetwork(5, o, 2, 4, seed: 10);
        var pa = a.parameters().Select(p => p.data<float>().ToArray()).ToList();
        var pb = b.parameters().Select(p => p.data<float>().ToArray()).ToList();
        var pc = c.parameters().Select(p => p.data<float>().ToArray()).ToList();
        Assert.Equal(pa, pb);
        Assert.NotEqual(pa, pc);
        // Encoder 5 → 6 → 3, decoder 3 → 6 → 5: PyTorch's default ranges ±1/√fan-in.
        var first = a.named_parameters().Where(p => p.name.StartsWith("encoder.0.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, first.Count);   // weight and bias
        Assert.All(first, p => Assert.True(p.parameter.abs().max().item<float>() <= 1 / MathF.Sqrt(5)));
    }
}
