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
    /// Fits the ranker on the training split of <paramref name="data"/> (each user's last training item held out) over
    /// the first stage of the run in <paramref name="runDir"/>, and writes <c>ranker.lgbm</c> + <c>ranker.json</c> there.
    /// </summary>
    /// <param name="runDir">The run folder (its model is the first stage).</param>
    /// <param name="data">The run's dataset.</param>
    /// <param name="catalog">Registers the run's kinds.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="index">First-stage index (default: exact CPU).</param>
    public static RankerInfo Fit(string runDir, Dataset data, RecsysCatalog catalog, LambdaRankOptions options, MipsIndexChoice? index = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var first = RunFolderRecommender.Load(runDir, data, catalog, index, withValidation: false);
        var features = Features(first.Snapshot, data);
        var inputs = ModelInputs.From(data);
        var histories = inputs.Histories ?? UserHistories.From(data.Train, data.NumUsers, data.NumItems);
        var lists = Enumerable.Range(0, histories.NumUsers).Select(u => histories.ItemsOf(u).ToArray()).ToArray();
        using var ranker = LightGbmRanker.Fit(features, lists, first.Index, options);
        ranker.Save(runDir);
        return ranker.Info;
    }
}
