using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>
/// RQ-VAE's modules: an encoder MLP (input → widths → latent, ReLU between layers), L codebooks of K latent codewords
/// ([L, K, latent]) and a decoder MLP mirroring the encoder. The device is the caller's choice.
/// </summary>
public sealed class RqVaeNetwork : nn.Module
{
    private readonly Sequential encoder, decoder;
    private readonly Parameter codebooks;

    /// <param name="inputDim">Feature width.</param>
    /// <param name="options">Widths and latent size.</param>
    /// <param name="levels">Codebooks L.</param>
    /// <param name="codes">Codewords per codebook K.</param>
    public RqVaeNetwork(int inputDim, RqVaeOptions options, int levels, int codes) : base("RqVae")
    {
        ArgumentNullException.ThrowIfNull(options);
        var widths = new List<int> { inputDim };
        widths.AddRange(options.EncoderWidths);
        widths.Add(options.LatentDim);
        encoder = Mlp(widths);
        widths.Reverse();
        decoder = Mlp(widths);
        codebooks = new Parameter(randn(levels, codes, options.LatentDim) * 0.01f);
        RegisterComponents();
    }

    /// <summary>Codebooks [L, K, latent].</summary>
    public Tensor Codebooks => codebooks;

    public Tensor Encode(Tensor x) => encoder.forward(x);

    public Tensor Decode(Tensor z) => decoder.forward(z);

    private static Sequential Mlp(IReadOnlyList<int> widths)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            layers.Add(nn.Linear(widths[i], widths[i + 1]));
            if (i + 2 < widths.Count) layers.Add(nn.ReLU());
        }
        return nn.Sequential(layers);
    }
}
