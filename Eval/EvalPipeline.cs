using Recsys.Data;
using Recsys.Eval.Baselines;
using Recsys.IO;
using Recsys.Retrieval.Mips;

namespace Recsys.Eval;

/// <summary>
/// Loads what an <see cref="EvalRequest"/> names and runs the <see cref="FullRankingEvaluator"/> on it — the one
/// library call behind <c>recsys eval</c>. Embedding models go through an <see cref="IMipsIndex"/> built by
/// <c>indexFactory</c> (default <see cref="ExactCpuMipsIndex"/>); item-KNN through <see cref="IUserScorer"/>.
/// </summary>
public static class EvalPipeline
{
    /// <summary>Builds a MIPS index over row-major item vectors [count, dim].</summary>
    public delegate IMipsIndex IndexFactory(float[] items, int dim);

    public static IndexFactory DefaultIndex { get; } = (items, dim) => new ExactCpuMipsIndex(items, dim);

    public static EvaluationResult Run(EvalRequest request, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellation = default, IndexFactory? indexFactory = null)
    {
        request.Validate();
        var data = DatasetFolder.Read(request.DataFolder);
        var evaluator = FullRankingEvaluator.ForDataset(data, request.Options);
        indexFactory ??= DefaultIndex;
        switch (request.Model)
        {
            case BaselineModel.Popularity:
            {
                var (users, items) = MostPopular.Embeddings(InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems));
                using var index = indexFactory(items, 1);
                return evaluator.Evaluate(index, users, progress, cancellation);
            }
            case BaselineModel.ItemKnn:
            {
                var knn = ItemKnn.Fit(InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems), request.ItemKnn);
                return evaluator.Evaluate(knn, progress, cancellation);
            }
            case BaselineModel.FastRp:
            {
                var (users, items) = FastRpRecommender.Embeddings(InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems), request.FastRp);
                using var index = indexFactory(items, request.FastRp.Dim);
                return evaluator.Evaluate(index, users, progress, cancellation);
            }
            default:
            {
                var users = EmbeddingFile.Read(request.UserEmbeddings!, out int nu, out int du);
                var items = EmbeddingFile.Read(request.ItemEmbeddings!, out int ni, out int di);
                Check(request.UserEmbeddings!, nu, data.NumUsers, "users");
                Check(request.ItemEmbeddings!, ni, data.NumItems, "items");
                if (du != di) throw new DataFormatException(request.ItemEmbeddings!, 0, null, $"dimension {di} differs from the user embeddings' {du}.");
                using var index = indexFactory(items, di);
                return evaluator.Evaluate(index, users, progress, cancellation);
            }
        }
    }

    private static void Check(string file, int rows, int expected, string what)
    {
        if (rows != expected) throw new DataFormatException(file, 0, null, $"holds {rows} rows but the dataset has {expected} {what}.");
    }
}
