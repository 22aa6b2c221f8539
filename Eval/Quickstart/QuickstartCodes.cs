using Recsys.Catalog;
using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Embeddings.SemanticIds;
using Recsys.Embeddings.SemanticIds.Features;
using Recsys.Embeddings.SemanticIds.RqKMeans;
using Recsys.Tables.SemanticId;

namespace Recsys.Eval.Quickstart;

/// <summary>RQ-KMeans semantic IDs (3 levels × 16 codes) of a quickstart dataset's items from the given feature blocks, written to a codes file.</summary>
internal static class QuickstartCodes
{
    /// <summary>Indexes <paramref name="data"/>'s items and writes the codes to <paramref name="path"/>; returns the codes and the file's SHA-256.</summary>
    public static (SemanticIdCodes Codes, string Sha256) Write(Dataset data, IReadOnlyList<IItemFeatureBlock> blocks, ulong seed, string path, CancellationToken cancel)
    {
        var (features, _) = ItemFeatureBuilder.Build(data, blocks);
        var settings = new SemanticIndexSettings { Levels = 3, Codes = 16, Seed = (int)(seed % int.MaxValue) };
        settings.Validate(data.NumItems);
        var indexed = SemanticIndexers.Standard().Get(RqKMeansKind.Name).Create(settings, new KindArguments())
            .Index(SemanticIndexInput.From(data, features), cancel: cancel);
        indexed.Codes.Write(path);
        return (indexed.Codes, SemanticIdTableSpec.Sha256Of(path));
    }
}
