using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>
/// RQ-VAE's modules: an encoder MLP (input → widths → latent, ReLU between layers), L codebooks of K latent codewords
/// ([L, K, latent]) and a decoder MLP mirroring the encoder. Every initial value is drawn from the given generator
/// (PyTorch's default Linear ranges, U(±1/√fan-in); codebooks N(0, 0.01²)), never from libtorch's global one, so two
/// networks built concurrently with the same seed are equal. The device is the caller's choice.
/// </summary>
public sealed class RqVaeNetwork : nn.Module
{
    private readonly Sequential encoder, decoder;
    private readonly Parameter codebooks;

    /// <param name="inputDim">Feature width.</param>
    /// <param name="options">Widths and latent size.</param>
    /// <param name="levels">Codebooks L.</param>
    /// <param name="codes">Codewords per codebook K.</param>
    /// <param name="seed">Seed of the initial weights and codebooks.</param>
    public RqVaeNetwork(int inputDim, RqVaeOptions options, int levels, int codes, long seed) : base("RqVae")
    {
        ArgumentNullException.ThrowIfNull(options);
        using var g = new Generator((ulong)seed);
        var widths = new List<int> { inputDim };
        widths.AddRange(options.EncoderWidths);
        widths.Add(options.LatentDim);
        encoder = Mlp(widths, g);
        widths.Reverse();
        decoder = Mlp(widths, g);
        codebooks = new Parameter(randn(levels, codes, options.LatentDim, generator: g) * 0.01f);
        RegisterComponents();
    }

    /// <summary>Codebooks [L, K, latent].</summary>
    public Tensor Codebooks => codebooks;

    public Tensor Encode(Tensor x) => encoder.forward(x);

    public Tensor Decode(Tensor z) => decoder.forward(z);

    private static Sequential Mlp(IReadOnlyList<int> widths, Generator g)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            var linear = nn.Linear(widths[i], widths[i + 1]);
            using (no_grad())
            {
                double bound = 1 / Math.Sqrt(widths[i]);
                linear.weight.uniform_(-bound, bound, g);
                linear.bias!.uniform_(-bound, bound, g);
            }
            layers.Add(linear);
            if (i + 2 < widths.Count) layers.Add(nn.ReLU());
        }
        return nn.Sequential(layers);
    }
}
