using System.Diagnostics;
using Recsys.Data;
using Recsys.Devices;
using Recsys.IO;
using Recsys.Models;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// Which MIPS backend answers a <see cref="RetrieveRequest"/>: the exact SIMD CPU index, the exact torch index, or the int8
/// first pass with exact FP32 re-rank (<see cref="Int8MipsIndex"/>; exact unless a true top-k item falls outside the over-fetched candidates).
/// </summary>
public enum MipsBackend { Cpu, Torch, Int8 }

/// <summary>
/// A file-to-file top-k search: queries [n, d] and items [m, d] from float32 <c>.npy</c>; writes int32 ids [n, k]
/// to <see cref="OutPath"/> and float32 scores [n, k] next to it (<c>X.npy</c> → <c>X.scores.npy</c>).
/// <see cref="ExcludePath"/> is either a <c>.npy</c> int32/int64 array [p, 2] of (query, item) pairs, or a dataset folder
/// whose training interactions are excluded (its user count must equal n and item count m).
/// </summary>
public sealed record RetrieveRequest
{
    public required string QueriesPath { get; init; }
    public required string ItemsPath { get; init; }
    public required string OutPath { get; init; }
    public int K { get; init; } = 20;
    public string? ExcludePath { get; init; }
    public MipsIndexChoice Index { get; init; } = new();

    public void Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "must be ≥ 1.");
        Index.Validate();
    }

    /// <summary>The scores file written next to <paramref name="idsPath"/>.</summary>
    public static string ScoresPathFor(string idsPath) =>
        idsPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? idsPath[..^4] + ".scores.npy" : idsPath + ".scores.npy";
}

/// <summary>What <see cref="RetrieveJob.Run"/> did.</summary>
public sealed record RetrieveSummary(int Queries, int Items, int Dim, int K, long ExcludedPairs, string Backend, double SearchSeconds, string IdsPath, string ScoresPath);

/// <summary>Runs a <see cref="RetrieveRequest"/>.</summary>
public static class RetrieveJob
{
    public static RetrieveSummary Run(RetrieveRequest r)
    {
        r.Validate();
        var items = NpyFile.ReadFloat32(r.ItemsPath, out int m, out int d);
        EmbeddingFile.RequireFinite(r.ItemsPath, "item", items, d);
        var queries = NpyFile.ReadFloat32(r.QueriesPath, out int n, out int dq);
        EmbeddingFile.RequireFinite(r.QueriesPath, "query", queries, dq);
        if (dq != d) throw new DataFormatException(r.QueriesPath, 0, "shape", $"queries have dimension {dq}, items ({r.ItemsPath}) have {d}.");
        // The output is [queries, k]: a k beyond the items would size it by the option alone.
        if (r.K > m) throw new ArgumentOutOfRangeException(nameof(RetrieveRequest.K), r.K, $"k = {r.K} exceeds the {m} items of {r.ItemsPath}.");
        var ex = r.ExcludePath is null ? null : LoadExclusions(r.ExcludePath, n, m);
        // Query q plays user q of a fitted recommender whose seen items are the exclusions.
        using var recommender = Recommenders.FittedRecommender.Create(new ModelSnapshot(new ModelEmbeddings(queries, items, d)),
            new Recommenders.RecommenderData { Seen = ex }, r.Index);
        var index = recommender.Index;
        var sw = Stopwatch.StartNew();
        var result = recommender.Search(Enumerable.Range(0, n).ToArray(), r.K);
        double secs = sw.Elapsed.TotalSeconds;
        var scoresPath = RetrieveRequest.ScoresPathFor(r.OutPath);
        NpyFile.WriteInt32(r.OutPath, result.Ids, n, r.K);
        NpyFile.WriteFloat32(scoresPath, result.Scores, n, r.K);
        long pairs = 0;
        if (ex is not null) for (int q = 0; q < n; q++) pairs += ex.Row(q).Length;
        string backend = MipsIndexChoice.Describe(index, r.K);
        return new RetrieveSummary(n, m, d, r.K, pairs, backend, secs, r.OutPath, scoresPath);
    }

    /// <summary>(query, item) pairs from a .npy [p, 2], or a dataset folder's training interactions, as sorted CSR rows.</summary>
    public static Exclusions LoadExclusions(string path, int queries, int items)
    {
        if (Directory.Exists(path))
        {
            var ds = DatasetFolder.Read(path);
            if (ds.NumUsers != queries || ds.NumItems != items)
                throw new DataFormatException(path, 0, "users/items", $"dataset has {ds.NumUsers} users × {ds.NumItems} items but the search has {queries} queries × {items} items.");
            return Exclusions.From(ds.TrainMatrix());
        }
        var pairs = NpyFile.ReadInt32(path, out int p, out int cols);
        if (cols != 2) throw new DataFormatException(path, 0, "shape", $"expected [pairs, 2] (query, item), found [{p}, {cols}].");
        var qs = new int[p];
        var its = new int[p];
        for (int i = 0; i < p; i++)
        {
            int q = pairs[2 * i], it = pairs[2 * i + 1];
            if ((uint)q >= (uint)queries) throw new DataFormatException(path, i, "query", $"{q} is outside 0..{queries - 1}.");
            if ((uint)it >= (uint)items) throw new DataFormatException(path, i, "item", $"{it} is outside 0..{items - 1}.");
            qs[i] = q; its[i] = it;
        }
        var csr = InteractionMatrix.From(qs, its, queries, items);
        return Exclusions.From(csr);
    }
}
