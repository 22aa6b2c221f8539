using Recsys.Catalog;
using Recsys.Training;

namespace Recsys.Models;

public static partial class GraphModelKinds
{
    private static readonly KindParameter<int> NgcfLayers = KindParameter.Int("layers", "ngcf: propagation layers, each of width --dim (default 3).", min: 1);
    private static readonly KindParameter<NgcfVariant> NgcfVariantParameter = KindParameter.Choice("variant",
        "ngcf: paper (the paper's layer, default), code (the authors' released code as their PyTorch port builds it: D^-1(A+I) adjacency, self-loop inside the neighbour sum, Glorot biases) or tf (their TensorFlow code, which produced the paper's numbers: as code, with a LeakyReLU on each of the two terms before they are added).",
        new Dictionary<string, NgcfVariant> { ["paper"] = NgcfVariant.Paper, ["code"] = NgcfVariant.Code, ["tf"] = NgcfVariant.TensorFlow });
    private static readonly KindParameter<double> NodeDropout = KindParameter.Double("node-dropout",
        "ngcf: probability of dropping each entry of the adjacency per step (default 0.1, the PyTorch port's setting; the authors' TensorFlow command ran with it off: 0).", 0, 1, maxInclusive: false);
    private static readonly KindParameter<double> NgcfMessageDropout = KindParameter.Double("message-dropout", "ngcf, kgat: dropout on each layer's output embeddings (default 0.1).", 0, 1, maxInclusive: false);

    /// <summary>Registers NGCF as "ngcf" with the official code's trainer settings: lr 1e-4, reg 1e-5, batch 1024, 400 epochs.</summary>
    public static RecsysCatalog AddNgcf(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<NgcfOptions>(
        "ngcf", "NGCF (Wang et al., SIGIR 2019): feature transforms and a bi-interaction term per layer.",
        parameters: [NgcfLayers, NgcfVariantParameter, NodeDropout, NgcfMessageDropout],
        trainerDefaults: () => new TrainerOptions { LearningRate = 1e-4, Reg = 1e-5, BatchSize = 1024, Epochs = 400 },
        configure: (o, a) => o with
        {
            LayerDims = Enumerable.Repeat(o.Dim, a.GetOr(NgcfLayers, o.LayerDims.Length)).ToArray(),
            Variant = a.GetOr(NgcfVariantParameter, o.Variant),
            NodeDropout = a.GetOr(NodeDropout, o.NodeDropout),
            MessageDropout = a.GetOr(NgcfMessageDropout, o.MessageDropout),
        }));
}
