using Recsys.Catalog;
using Recsys.Training;

namespace Recsys.Models;

public static partial class SequentialModelKinds
{
    private static readonly KindParameter<int> TowerMaxLength = KindParameter.Int("max-length", "sasrec, twotower: most recent items the model sees (default 50).", min: 1);
    private static readonly KindParameter<double> RecencyDecay = KindParameter.Double("recency-decay",
        "twotower: weight decay^age of a history item in the pooled mean (1 = plain mean, order-insensitive; default 0.8).", 0, 1);
    private static readonly KindParameter<bool> UserIds = KindParameter.Choice("user-ids",
        "twotower: add a learned user row to the pooled history (default off: every user is encoded from history alone).",
        new Dictionary<string, bool> { ["on"] = true, ["off"] = false });
    private static readonly KindParameter<bool> UseAttributes = KindParameter.Choice("attributes",
        "twotower: add the mean of an item's attribute rows to its id row when the data has attributes (default on).",
        new Dictionary<string, bool> { ["on"] = true, ["off"] = false });
    private static readonly KindParameter<int> TowerLayers = KindParameter.Int("tower-layers", "twotower: Linear layers of each tower's MLP (default 2).", min: 1);
    private static readonly KindParameter<double> TowerTemperature = KindParameter.Double("temperature", "twotower: softmax temperature τ (default 0.05).", 0);
    private static readonly KindParameter<bool> Normalize = KindParameter.Choice("normalize",
        "twotower: L2-normalise both towers' outputs (default on).", new Dictionary<string, bool> { ["on"] = true, ["off"] = false });
    private static readonly KindParameter<bool> LogQ = KindParameter.Choice("logq",
        "twotower: log-Q popularity correction of the in-batch softmax (default on).", new Dictionary<string, bool> { ["on"] = true, ["off"] = false });

    /// <summary>
    /// Registers the two-tower model as "twotower" with Adam lr 1e-3, batches of 1024 (history prefix, next item)
    /// examples (the trainer's BatchSize counts examples for this model) and 100 epochs.
    /// </summary>
    public static RecsysCatalog AddTwoTower(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<TwoTowerOptions>(
        "twotower", "Two-tower (DSSM-style) retrieval: pooled-history user tower, id + attribute item tower, in-batch softmax with log-Q correction.",
        parameters: [TowerMaxLength, RecencyDecay, UserIds, UseAttributes, TowerLayers, TowerTemperature, Normalize, LogQ],
        trainerDefaults: () => new TrainerOptions { LearningRate = 1e-3, BatchSize = 1024, Epochs = 100 },
        unsupported: TwoTowerOptions.Unsupported,
        configure: (o, a) => o with
        {
            MaxLength = a.GetOr(TowerMaxLength, o.MaxLength),
            RecencyDecay = a.GetOr(RecencyDecay, o.RecencyDecay),
            UserIds = a.GetOr(UserIds, o.UserIds),
            Attributes = a.GetOr(UseAttributes, o.Attributes),
            Layers = a.GetOr(TowerLayers, o.Layers),
            Temperature = a.GetOr(TowerTemperature, o.Temperature),
            Normalize = a.GetOr(Normalize, o.Normalize),
            LogQCorrection = a.GetOr(LogQ, o.LogQCorrection),
        }));
}
