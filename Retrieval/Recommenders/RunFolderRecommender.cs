using Recsys.Catalog;
using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Training;

namespace Recsys.Retrieval.Recommenders;

/// <summary>Loads a <see cref="FittedRecommender"/> from a run folder.</summary>
public static class RunFolderRecommender
{
    /// <summary>
    /// Rebuilds the run's model from its run.json (kinds resolved through <paramref name="catalog"/>) over
    /// <paramref name="data"/>, loads the saved weights (<c>model.bin</c>, the kept epoch) and serves its snapshot —
    /// so models with a user encoder or a ranker load like embedding models; a LightGBM ranker saved in the folder
    /// (<c>ranker.lgbm</c>, see <see cref="Ranking.RunRanker"/>) is attached as the second stage. The data must be the run's
    /// (checked against the run's fingerprint).
    /// </summary>
    /// <param name="runDir">The run folder.</param>
    /// <param name="data">The run's dataset.</param>
    /// <param name="catalog">Registers the run's model and table kinds.</param>
    /// <param name="index">The MIPS index to serve with (default: exact CPU).</param>
    /// <param name="withValidation">Histories and seen items include the validation split (default: everything known before test).</param>
    /// <param name="candidates">
    /// Candidates the first stage hands the run's second stage, instead of the model's own count (default: the model's).
    /// Taken literally: GRank's rule "the whole catalog when it has fewer than 10·N items" applies only to its own N.
    /// </param>
    /// <param name="coldSlots">
    /// For a generative run over semantic IDs (TIGER): ε of <see cref="ColdItemSlots"/>, the largest share of each list
    /// given to items without training interactions that share a generated item's code prefix (null: the model's
    /// lists as generated).
    /// </param>
    /// <param name="beam">
    /// For a run that decodes by beam search (TIGER, see <see cref="IBeamSearchOptions"/>): the beam width to decode with
    /// instead of the one it was trained with (null: the run's).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="candidates"/> is below 1, or set for a run without a second stage;
    /// <paramref name="coldSlots"/> outside [0, 1], or set for a run that does not generate its lists from codes;
    /// <paramref name="beam"/> below 1, or set for a run that does not decode by beam search.</exception>
    public static FittedRecommender Load(string runDir, Dataset data, RecsysCatalog catalog, MipsIndexChoice? index = null, bool withValidation = true,
        int? candidates = null, double? coldSlots = null, int? beam = null)
    {
        var run = new RunFolder(runDir);
        if (!Directory.Exists(run.Path)) throw new DirectoryNotFoundException($"{runDir}: run folder not found.");
        var record = run.ReadRecord(catalog);
        if (!File.Exists(run.ModelFile))
            throw new FileNotFoundException($"{run.ModelFile}: the run has no saved model yet (train it, or resume it to the end).", run.ModelFile);
        var inputs = ModelInputs.From(data);
        record.Data.CheckSameData(DataFingerprint.Of(inputs), run.Path);
        var modelOptions = record.Model;
        if (beam is { } width)
        {
            if (width < 1) throw new ArgumentOutOfRangeException(nameof(beam), width, "must be ≥ 1.");
            modelOptions = modelOptions is IBeamSearchOptions searched ? searched.WithBeam(width)
                : throw new ArgumentOutOfRangeException(nameof(beam), width, $"{runDir}: a beam width needs a model that decodes its lists by beam search (tiger); this run's is {record.Model.Kind}.");
        }
        using var model = modelOptions.Create(inputs, record.Trainer.Seed);
        run.LoadModel(model.Module);
        var snapshot = model.Snapshot();
        // A ranker fitted next to the run (recsys rank fit) becomes the second stage.
        if (snapshot.Ranker is null && Ranking.LightGbmRanker.ExistsIn(run.Path))
            snapshot = snapshot with { Ranker = Ranking.LightGbmRanker.Load(run.Path, Ranking.RunRanker.Features(snapshot, data)) };
        if (candidates is { } n)
            snapshot = snapshot with
            {
                Ranker = new CandidateCountRanker(snapshot.Ranker ?? throw new ArgumentOutOfRangeException(nameof(candidates), n,
                    $"{runDir}: the run's model ({record.Model.Kind}) has no second stage to hand candidates to."), n),
            };
        if (coldSlots is { } share)
        {
            if (snapshot.Generator is not { } generator || record.Model is not ICodesModelOptions { HasCodes: true } coded)
                throw new ArgumentOutOfRangeException(nameof(coldSlots), share,
                    $"{runDir}: cold-item slots need a model that generates its lists from semantic-ID codes (tiger); this run's is {record.Model.Kind}.");
            var codes = Tables.SemanticId.SemanticIdTableSpec.Load(coded.Codes, coded.CodesSha256, data.NumItems, inputs.Derived);
            snapshot = snapshot with { Generator = new ColdItemSlots(generator, codes, inputs.Train.ItemsWithoutInteractions(), share) };
        }
        return FittedRecommender.Create(snapshot, RecommenderData.From(data, withValidation), index);
    }
}
