using Recsys.Catalog;
using Recsys.Training;

namespace Recsys.Models;

public static partial class GraphModelKinds
{
    private static readonly KindParameter<int> KgatLayers = KindParameter.Int("layers", "kgat: keep the first N of the layers [64, 32, 16].", min: 1);
    private static readonly KindParameter<KgatAggregator> Aggregator = KindParameter.Choice("aggregator", "kgat: bi (bi-interaction, default), gcn or sage.",
        new Dictionary<string, KgatAggregator>
        {
            ["bi"] = KgatAggregator.BiInteraction, ["bi-interaction"] = KgatAggregator.BiInteraction,
            ["gcn"] = KgatAggregator.Gcn, ["sage"] = KgatAggregator.GraphSage, ["graphsage"] = KgatAggregator.GraphSage,
        });
    private static readonly KindParameter<string> Pretrain = KindParameter.Text("pretrain", "kgat: start users and items from this mf run folder's embeddings.");
    private static readonly KindParameter<KgatColdItems> ColdItems = KindParameter.Choice("cold-items",
        "kgat: layer-0 rows of items without training interactions: own (paper) or kg-items (weighted mean of the warm items sharing a KG entity).",
        new Dictionary<string, KgatColdItems> { ["own"] = KgatColdItems.Own, ["kg-items"] = KgatColdItems.KgItems });
    private static readonly KindParameter<double> KgatMessageDropout = KindParameter.Double("message-dropout", "ngcf, kgat: dropout on each layer's output embeddings (default 0.1).", 0, 1, maxInclusive: false);

    /// <summary>Registers KGAT as "kgat" with KGAT-pytorch's trainer settings: lr 1e-4, CF L2 1e-5, CF batch 1024, evaluation every 10 epochs.</summary>
    public static RecsysCatalog AddKgat(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<KgatOptions>(
        "kgat", "KGAT (Wang et al., KDD 2019): attentive propagation over the collaborative knowledge graph, alternated with TransR.",
        parameters: [KgatLayers, Aggregator, Pretrain, ColdItems, KgatMessageDropout],
        trainerDefaults: () => new TrainerOptions { LearningRate = 1e-4, Reg = 1e-5, BatchSize = 1024, Epochs = 1000, EvalEvery = 10 },
        unsupported: inputs => inputs.Knowledge is null ? KgatOptions.NeedsKnowledgeGraph : null,
        configure: (o, a) => o with
        {
            LayerDims = a.TryGet(KgatLayers, out var n) ? o.LayerDims.Take(n).ToArray() : o.LayerDims,
            Aggregator = a.GetOr(Aggregator, o.Aggregator),
            Pretrain = a.TryGet(Pretrain, out var p) ? Path.GetFullPath(p) : o.Pretrain,
            ColdItems = a.GetOr(ColdItems, o.ColdItems),
            MessageDropout = a.GetOr(KgatMessageDropout, o.MessageDropout),
        }));
}
