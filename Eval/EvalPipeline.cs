using Recsys.Catalog;
using Recsys.Data;
using Recsys.Eval.Baselines;
using Recsys.IO;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Retrieval.Mips;

namespace Recsys.Eval;

/// <summary>
/// Loads what an <see cref="EvalRequest"/> names and runs the <see cref="FullRankingEvaluator"/> on it — the one
/// library call behind <c>recsys eval</c>. Embedding models go through an <see cref="IMipsIndex"/> built by
/// <c>indexFactory</c> (default: the request's <see cref="EvalRequest.Index"/>); item-KNN through <see cref="IUserScorer"/>.
/// </summary>
public static class EvalPipeline
{
    /// <summary>Builds a MIPS index over row-major item vectors [count, dim].</summary>
    public delegate IMipsIndex IndexFactory(float[] items, int dim);

    /// <summary>The default <see cref="MipsIndexChoice"/>: the exact CPU kernel on all cores.</summary>
    public static IndexFactory DefaultIndex { get; } = new MipsIndexChoice().Create;

    /// <param name="request">What to evaluate.</param>
    /// <param name="progress">Blocks of users done.</param>
    /// <param name="cancellation">Stops between blocks.</param>
    /// <param name="indexFactory">The MIPS index (default: the request's).</param>
    /// <param name="catalog">Model kinds, for runs rebuilt from their model (those without per-user rows).</param>
    public static EvaluationResult Run(EvalRequest request, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellation = default, IndexFactory? indexFactory = null, RecsysCatalog? catalog = null)
    {
        request.Validate();
        var data = DatasetFolder.Read(request.DataFolder);
        var evaluator = FullRankingEvaluator.ForDataset(data, request.Options);
        if (evaluator.Users.Count == 0 && request.Options.Items != HeldOutItems.All)
        {
            string split = request.Options.Split == EvalSplit.Valid ? "validation" : "test";
            throw new ArgumentException(request.Options.Items == HeldOutItems.Cold
                ? $"no cold items: every item held out in the {split} split of '{data.Name}' also occurs in the training split, so there is nothing to evaluate."
                : request.Options.Items == HeldOutItems.LongTail
                ? $"no long-tail items: no item held out in the {split} split of '{data.Name}' is in the long tail (trained, at most the median training interactions), so there is nothing to evaluate."
                : $"no warm items: no item held out in the {split} split of '{data.Name}' occurs in the training split, so there is nothing to evaluate.",
                nameof(EvaluationOptions.Items));
        }
        return Evaluate(request, data, evaluator, progress, cancellation, indexFactory ?? request.Index.Create, catalog).WithData(EvaluatedData.Of(data, request.Options));
    }

    private static EvaluationResult Evaluate(EvalRequest request, Dataset data, FullRankingEvaluator evaluator,
        IProgress<EvaluationProgress>? progress, CancellationToken cancellation, IndexFactory indexFactory, RecsysCatalog? catalog)
    {
        var train = data.TrainMatrix();
        switch (request.Model)
        {
            case BaselineModel.Popularity:
            {
                var (users, items) = MostPopular.Embeddings(train);
                return Evaluate(evaluator, new ModelEmbeddings(users, items, 1), indexFactory, progress, cancellation);
            }
            case BaselineModel.ItemKnn:
            {
                var knn = ItemKnn.Fit(train, request.ItemKnn);
                return evaluator.Evaluate(knn, progress, cancellation);
            }
            case BaselineModel.FastRp:
            {
                var (users, items) = !request.FastRpOnKnowledgeGraph ? FastRpRecommender.Embeddings(train, request.FastRp)
                    : FastRpRecommender.Embeddings(train, data.Knowledge ?? throw new ArgumentException(
                        $"dataset '{data.Name}' has no knowledge graph; FastRP on the collaborative knowledge graph needs one (import a dataset with its knowledge graph)."), request.FastRp);
                return Evaluate(evaluator, new ModelEmbeddings(users, items, request.FastRp.Dim), indexFactory, progress, cancellation);
            }
            default:
            {
                var (userFile, itemFile) = request.Run is { } runDir
                    ? RunEmbeddings(runDir)
                    : (request.UserEmbeddings!, request.ItemEmbeddings!);
                var users = EmbeddingFile.Read(userFile, out int nu, out int du);
                if (nu == 0 && request.Run is { } encoded)
                {
                    // The run's model has no per-user rows (it encodes histories): rebuild it from run.json and model.bin.
                    using var recommender = RunFolderRecommender.Load(encoded, data, catalog ?? throw new ArgumentException(
                        "evaluating a run that encodes histories needs the catalog of its model kind."), request.Index,
                        withValidation: request.Options.Split == EvalSplit.Test, candidates: request.Candidates, coldSlots: request.ColdSlots, beam: request.Beam);
                    if (!request.FirstStageOnly || recommender.Snapshot.Ranker is null) return evaluator.Evaluate(recommender, progress, cancellation);
                    using var firstStage = new FittedRecommender(recommender.Snapshot with { Ranker = null }, recommender.Index, recommender.Data, ownsIndex: false);
                    return evaluator.Evaluate(firstStage, progress, cancellation);
                }
                if (request.Candidates is { } n)
                    throw new ArgumentOutOfRangeException(nameof(request.Candidates), n, $"{request.Run ?? userFile}: an embedding model has no second stage to hand candidates to.");
                if (request.ColdSlots is { } share)
                    throw new ArgumentOutOfRangeException(nameof(request.ColdSlots), share, $"{request.Run}: cold-item slots need a model that generates its lists from semantic-ID codes (tiger); an embedding model ranks every item already.");
                if (request.Beam is { } width)
                    throw new ArgumentOutOfRangeException(nameof(request.Beam), width, $"{request.Run}: a beam width needs a model that decodes its lists by beam search (tiger); an embedding model ranks every item exactly.");
                var items = EmbeddingFile.Read(itemFile, out int ni, out int di);
                Check(userFile, nu, data.NumUsers, "users");
                Check(itemFile, ni, data.NumItems, "items");
                if (du != di) throw new DataFormatException(itemFile, 0, null, $"dimension {di} differs from the user embeddings' {du}.");
                return Evaluate(evaluator, new ModelEmbeddings(users, items, di), indexFactory, progress, cancellation);
            }
        }
    }

    /// <summary>Evaluates embeddings through a <see cref="FittedRecommender"/> over an index built by <paramref name="indexFactory"/>.</summary>
    private static EvaluationResult Evaluate(FullRankingEvaluator evaluator, ModelEmbeddings e, IndexFactory indexFactory,
        IProgress<EvaluationProgress>? progress, CancellationToken cancellation)
    {
        using var recommender = new FittedRecommender(new ModelSnapshot(e), indexFactory(e.Items, e.Dim));
        return evaluator.Evaluate(recommender, progress, cancellation);
    }

    private static (string Users, string Items) RunEmbeddings(string runDir)
    {
        var run = new Recsys.Training.RunFolder(runDir);
        if (!Directory.Exists(run.Path)) throw new DirectoryNotFoundException($"{runDir}: run folder not found.");
        if (!File.Exists(run.UserEmbeddingsFile))
            throw new FileNotFoundException($"{run.UserEmbeddingsFile}: the run has no embeddings yet (train it, or resume it to the end).", run.UserEmbeddingsFile);
        return (run.UserEmbeddingsFile, run.ItemEmbeddingsFile);
    }

    private static void Check(string file, int rows, int expected, string what)
    {
        if (rows != expected) throw new DataFormatException(file, 0, null, $"holds {rows} rows but the dataset has {expected} {what}.");
    }
}
