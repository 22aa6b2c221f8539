using Recsys.Catalog;
using Recsys.Training;

namespace Recsys.Models;

/// <summary>GRank's part of the sequential model registrations.</summary>
public static partial class SequentialModelKinds
{
    private static readonly KindParameter<int> GRankMaxLength = KindParameter.Int("history-length", "grank: most recent items the generator sees (default 64).", min: 1);
    private static readonly KindParameter<int> GRankBlocks = KindParameter.Int("generator-blocks", "grank: generator self-attention blocks (default 2).", min: 1);
    private static readonly KindParameter<int> GRankHeads = KindParameter.Int("generator-heads", "grank: generator attention heads, dividing --dim (default 1).", min: 1);
    private static readonly KindParameter<double> GRankDropout = KindParameter.Double("generator-dropout", "grank: generator dropout rate (default 0.2).", 0, 1, maxInclusive: false);
    private static readonly KindParameter<bool> TargetAware = KindParameter.Choice("target-aware",
        "grank: inject the target and in-batch negatives into the generator's attention in training (true, default) or not (false).",
        new Dictionary<string, bool> { ["true"] = true, ["false"] = false });
    private static readonly KindParameter<int> TrainedPrefixes = KindParameter.Int("trained-prefixes", "grank: the query token is trained after each of a window's last N prefixes (default 16).", min: 1);
    private static readonly KindParameter<int> SelfNegatives = KindParameter.Int("self-negatives", "grank: in-batch negatives injected next to each target in the target-aware view (default 16).", min: 1);
    private static readonly KindParameter<int> RankerLength = KindParameter.Int("ranker-length", "grank: most recent items the ranker attends to (default 1000).", min: 1);
    private static readonly KindParameter<int> Candidates = KindParameter.Int("candidates", "grank: candidates N the generator hands the ranker (default 2000; the whole catalog when it has < 10·N items).", min: 1);
    private static readonly KindParameter<int> RankerNegatives = KindParameter.Int("ranker-negatives", "grank: uniform items added to the ranker's in-batch negatives per batch (default 256).", min: 0);
    private static readonly KindParameter<double> Lambda0 = KindParameter.Double("lambda-next", "grank: λ0, weight of the next-item full-softmax InfoNCE (default 1).", 0);
    private static readonly KindParameter<double> Lambda1 = KindParameter.Double("lambda-self", "grank: λ1, weight of the target-aware self-attention InfoNCE (default 1).", 0);
    private static readonly KindParameter<double> Lambda2 = KindParameter.Double("lambda-cross", "grank: λ2, weight of the ranker's cross-attention InfoNCE (default 1; 0 = no ranker).", 0);
    private static readonly KindParameter<bool> PopularityCorrection = KindParameter.Choice("popularity-correction",
        "grank: subtract the log of an item's expected count among the sampled candidates from the target-aware and ranker logits in training (logQ correction; true, default) or not (false).",
        new Dictionary<string, bool> { ["true"] = true, ["false"] = false });
    private static readonly KindParameter<bool> QueryFromLastItem = KindParameter.Choice("query-from-last-item",
        "grank: the query token's input adds the row of the item it follows (true) or is the learned token alone (false, default).",
        new Dictionary<string, bool> { ["true"] = true, ["false"] = false });
    private static readonly KindParameter<double> GRankTemperature = KindParameter.Double("temperature", "grank: temperature dividing every InfoNCE logit (default 1).", 0);

    /// <summary>The generator alone with the query built from the last item: the recipe of the Beauty and Gowalla results.</summary>
    public static readonly ModelPreset Generator = new("generator",
        "the generator alone (--lambda-self 0 --lambda-cross 0: no ranker) with the query built from the last item (--query-from-last-item true)",
        o => (GRankOptions)o with { SelfAttentionWeight = 0, CrossAttentionWeight = 0, QueryFromLastItem = true });

    /// <summary>
    /// Registers GRank as "grank" with Adam lr 1e-3, batches of 128 users (the trainer's BatchSize counts users for
    /// this model) and 200 epochs.
    /// </summary>
    public static RecsysCatalog AddGRank(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<GRankOptions>(
        "grank", "GRank: target-aware causal-attention generator over exact MIPS + cross-attention ranker over the long history, trained jointly.",
        parameters: [GRankMaxLength, GRankBlocks, GRankHeads, GRankDropout, TrainedPrefixes, SelfNegatives, TargetAware, RankerLength, Candidates, RankerNegatives, Lambda0, Lambda1, Lambda2, PopularityCorrection, GRankTemperature, QueryFromLastItem],
        trainerDefaults: () => new TrainerOptions { LearningRate = 1e-3, BatchSize = 128, Epochs = 200 },
        unsupported: GRankOptions.Unsupported,
        presets: [Generator],
        configure: (o, a) => o with
        {
            MaxLength = a.GetOr(GRankMaxLength, o.MaxLength),
            Blocks = a.GetOr(GRankBlocks, o.Blocks),
            Heads = a.GetOr(GRankHeads, o.Heads),
            Dropout = a.GetOr(GRankDropout, o.Dropout),
            TrainedPrefixes = a.GetOr(TrainedPrefixes, o.TrainedPrefixes),
            SelfAttentionNegatives = a.GetOr(SelfNegatives, o.SelfAttentionNegatives),
            TargetAware = a.GetOr(TargetAware, o.TargetAware),
            RankerLength = a.GetOr(RankerLength, o.RankerLength),
            Candidates = a.GetOr(Candidates, o.Candidates),
            RankerNegatives = a.GetOr(RankerNegatives, o.RankerNegatives),
            NextItemWeight = a.GetOr(Lambda0, o.NextItemWeight),
            SelfAttentionWeight = a.GetOr(Lambda1, o.SelfAttentionWeight),
            CrossAttentionWeight = a.GetOr(Lambda2, o.CrossAttentionWeight),
            PopularityCorrection = a.GetOr(PopularityCorrection, o.PopularityCorrection),
            Temperature = a.GetOr(GRankTemperature, o.Temperature),
            QueryFromLastItem = a.GetOr(QueryFromLastItem, o.QueryFromLastItem),
        }));
}
