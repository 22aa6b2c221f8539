using Recsys.Catalog;

namespace Recsys.Models;

public static partial class GraphModelKinds
{
    private static readonly KindParameter<int> LightGcnLayers = KindParameter.Int("layers", "Propagation layers (lightgcn default 3).", min: 0);
    private static readonly KindParameter<bool> IsolatedNodes = KindParameter.Choice("isolated-nodes",
        "lightgcn: a node without training edges takes the layer mean (mean, default: the paper's, shrinking it by 1/(L+1)) or keeps its layer-0 row (keep: new items placed by their item-table rows, e.g. semantic IDs).",
        new Dictionary<string, bool> { ["mean"] = false, ["keep"] = true });
    private static readonly KindParameter<double> IsolatedScale = KindParameter.Double("isolated-scale",
        "lightgcn: a node without training edges gets this multiple of its layer-0 row (1 = keep, 1/(layers+1) = mean); weighs new items against trained ones, choose it on validation.",
        min: 0, max: 100);
    private static readonly KindParameter<double> ColdDropout = KindParameter.Double("cold-dropout",
        "lightgcn: probability that a training positive or negative is scored as a new item is (its content rows — semantic-ID codes, without a hybrid's ID row — times the isolated scale), so the codes learn to place new items (DropoutNet); needs a sid:* item table.",
        min: 0, max: 1, maxInclusive: false);

    /// <summary>Registers LightGCN as "lightgcn": paper settings lr 1e-3, reg 1e-4, batch 2048 (the trainer's defaults).</summary>
    public static RecsysCatalog AddLightGcn(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<LightGcnOptions>(
        "lightgcn", "LightGCN (He et al., SIGIR 2020): linear propagation, mean of the layers.",
        parameters: [LightGcnLayers, IsolatedNodes, IsolatedScale, ColdDropout],
        configure: (o, a) => o with
        {
            Layers = a.GetOr(LightGcnLayers, o.Layers), KeepIsolated = a.GetOr(IsolatedNodes, o.KeepIsolated),
            IsolatedScale = a.TryGet(IsolatedScale, out var s) ? s : o.IsolatedScale,
            ColdDropout = a.GetOr(ColdDropout, o.ColdDropout),
        }));
}
