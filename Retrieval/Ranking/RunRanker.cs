using Recsys.Catalog;
using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;

namespace Recsys.Retrieval.Ranking;

/// <summary>Fits a <see cref="LightGbmRanker"/> over a run's first stage and keeps it in the run folder; <see cref="RunFolderRecommender.Load"/> attaches it.</summary>
public static class RunRanker
{
    /// <summary>The feature builder of a run's first stage over its dataset (popularity, histories and attributes of the training split).</summary>
    public static CandidateFeatures Features(ModelSnapshot firstStage, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var inputs = ModelInputs.From(data);
        return new CandidateFeatures(firstStage with { Ranker = null }, inputs.Train, inputs.Histories, inputs.Attributes);
    }

    /// <summary>
    /// Fits the ranker over the first stage of the run in <paramref name="runDir"/> on the examples
    /// <see cref="LambdaRankOptions.Examples"/> names — the validation split's (context = the training history) or each
    /// user's last training item held out — and writes <c>ranker.lgbm</c> + <c>ranker.json</c> there.
    /// </summary>
    /// <param name="runDir">The run folder (its model is the first stage).</param>
    /// <param name="data">The run's dataset.</param>
    /// <param name="catalog">Registers the run's kinds.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="index">First-stage index (default: exact CPU).</param>
    /// <exception cref="ArgumentException">Validation examples were asked for and the dataset has no validation split, or the run's model has its own second stage.</exception>
    public static RankerInfo Fit(string runDir, Dataset data, RecsysCatalog catalog, LambdaRankOptions options, MipsIndexChoice? index = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var examples = Examples(data, options.Examples);
        using var first = RunFolderRecommender.Load(runDir, data, catalog, index, withValidation: false);
        // A model's own second stage takes precedence when the run is loaded, so a LightGBM ranker beside it would never serve.
        if (first.Snapshot.Ranker is { } own and not LightGbmRanker)
            throw new ArgumentException($"{runDir}: the run's model has its own second stage ({own.GetType().Name}), which would serve instead of a LightGBM ranker; fit it on a run without one (GRank: train with a cross-attention weight of 0).",
                nameof(runDir));
        var features = Features(first.Snapshot, data);
        using var ranker = LightGbmRanker.Fit(features, examples, first.Index, options);
        ranker.Save(runDir);
        return ranker.Info;
    }

    /// <summary>The training groups of <paramref name="source"/> over <paramref name="data"/>'s training histories (time order, file order without timestamps).</summary>
    /// <exception cref="ArgumentException">Validation examples of a dataset without a validation split.</exception>
    public static RankerExampleSet Examples(Dataset data, RankerExampleSource source)
    {
        ArgumentNullException.ThrowIfNull(data);
        var histories = data.Histories();
        if (source == RankerExampleSource.HeldOutTraining)
            return RankerExampleSet.HeldOutTraining(Enumerable.Range(0, histories.NumUsers).Select(u => histories.ItemsOf(u).ToArray()).ToArray());
        if (data.Valid is not { Count: > 0 } valid)
            throw new ArgumentException($"dataset '{data.Name}' has no validation split to take the ranker's examples from: fit on held-out training items (HeldOutTraining) instead, or split off a validation set.",
                nameof(LambdaRankOptions.Examples));
        return RankerExampleSet.Validation(histories, InteractionMatrix.From(valid, data.NumUsers, data.NumItems));
    }
}
