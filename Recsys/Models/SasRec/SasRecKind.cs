using Recsys.Catalog;
using Recsys.Training;

namespace Recsys.Models;

/// <summary>
/// Registration of the sequential models this project implements; each model's folder holds its own part of this
/// class (<c>AddSasRec</c>).
/// </summary>
public static partial class SequentialModelKinds
{
    /// <summary>Every sequential model of this project: SASRec, the two-tower baseline, GRank and TIGER.</summary>
    public static RecsysCatalog AddSequentialModels(this RecsysCatalog catalog) => catalog.AddSasRec().AddTwoTower().AddGRank().AddTiger();

    private static readonly KindParameter<int> MaxLength = KindParameter.Int("max-length", "sasrec: most recent items the model sees (default 50).", min: 1);
    private static readonly KindParameter<int> Blocks = KindParameter.Int("blocks", "sasrec: self-attention blocks (default 2).", min: 1);
    private static readonly KindParameter<int> Heads = KindParameter.Int("heads", "sasrec: attention heads, dividing --dim (default 1).", min: 1);
    private static readonly KindParameter<double> Dropout = KindParameter.Double("dropout", "sasrec, tiger: dropout rate (default 0.2 for sasrec, 0.1 for tiger).", 0, 1, maxInclusive: false);
    private static readonly KindParameter<SasRecObjective> Objective = KindParameter.Choice("objective",
        "sasrec: ce (full-softmax cross-entropy, default) or bce (binary cross-entropy, one sampled negative, the paper's).",
        new Dictionary<string, SasRecObjective> { ["ce"] = SasRecObjective.CrossEntropy, ["bce"] = SasRecObjective.BinaryCrossEntropy });

    /// <summary>
    /// Registers SASRec as "sasrec" with Adam lr 1e-3, batches of 128 users (the trainer's BatchSize counts users for
    /// this model) and 200 epochs.
    /// </summary>
    public static RecsysCatalog AddSasRec(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<SasRecOptions>(
        "sasrec", "SASRec (Kang & McAuley, ICDM 2018): causal self-attention over the last items of a user's history.",
        parameters: [MaxLength, Blocks, Heads, Dropout, Objective],
        trainerDefaults: () => new TrainerOptions { LearningRate = 1e-3, BatchSize = 128, Epochs = 200 },
        unsupported: SasRecOptions.Unsupported,
        configure: (o, a) => o with
        {
            MaxLength = a.GetOr(MaxLength, o.MaxLength),
            Blocks = a.GetOr(Blocks, o.Blocks),
            Heads = a.GetOr(Heads, o.Heads),
            Dropout = a.GetOr(Dropout, o.Dropout),
            Objective = a.GetOr(Objective, o.Objective),
        }));
}
