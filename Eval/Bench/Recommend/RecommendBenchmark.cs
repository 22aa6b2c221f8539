using System.Diagnostics;
using Recsys.Retrieval.Recommenders;
using Recsys.Training;

namespace Recsys.Eval.Bench;

/// <summary>
/// Times a fitted recommender end to end — user encoding (or user rows), MIPS over the item vectors, and the ranker
/// when the model has one — through <see cref="FittedRecommender.Search"/>, the path evaluation and batch retrieval
/// use, excluding each user's seen items. Batch size 1 is the per-request cost a service pays; larger batches are
/// what batch work gets. One thread of calls; the recommender's own settings (index threads, libtorch threads) decide
/// how many cores a call uses.
/// </summary>
public static class RecommendBenchmark
{
    /// <summary>
    /// Runs every batch size of <paramref name="options"/> over the same seeded users; with <paramref name="reference"/>
    /// (the same model over exact MIPS) also measures the answers' recall against it.
    /// </summary>
    public static RecommendBenchReport Run(FittedRecommender recommender, string model, string index, RecommendBenchOptions options,
        FittedRecommender? reference = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int answerable = Math.Max(recommender.NumUsers, recommender.Data.Seen?.Rows ?? 0);
        if (answerable == 0) throw new ArgumentException("the recommender knows no users to answer for.", nameof(recommender));
        int k = Math.Min(options.K, recommender.NumItems);
        var users = Sample(answerable, Math.Min(options.Users, answerable), options.Seed);
        var rows = new List<RecommendBenchRow>();
        foreach (int b in options.BatchSizes)
        {
            progress?.Report($"batch {b}: {users.Length:N0} users");
            for (int w = 0; w < options.WarmupCalls; w++) recommender.Search(users.AsSpan(w * b % users.Length, Math.Min(b, users.Length - w * b % users.Length)), k);
            var ms = new List<double>();
            var total = Stopwatch.StartNew();
            for (int start = 0; start < users.Length; start += b)
            {
                var t = Stopwatch.StartNew();
                recommender.Search(users.AsSpan(start, Math.Min(b, users.Length - start)), k);
                ms.Add(t.Elapsed.TotalMilliseconds);
            }
            total.Stop();
            ms.Sort();
            rows.Add(new RecommendBenchRow(b, ms.Count, users.Length / total.Elapsed.TotalSeconds, Quantile(ms, 0.5), Quantile(ms, 0.99), ms[^1]));
        }
        double? recall = null;
        if (reference is not null)
        {
            progress?.Report("recall against exact MIPS");
            double sum = 0;
            for (int start = 0; start < users.Length; start += 256)
            {
                var span = users.AsSpan(start, Math.Min(256, users.Length - start));
                var got = recommender.Search(span, k);
                var want = reference.Search(span, k);
                for (int q = 0; q < span.Length; q++)
                {
                    var exact = new HashSet<int>(want.IdsOf(q).ToArray().Where(i => i >= 0));
                    int hit = 0;
                    foreach (var i in got.IdsOf(q)) if (i >= 0 && exact.Contains(i)) hit++;
                    sum += exact.Count == 0 ? 1 : (double)hit / exact.Count;
                }
            }
            recall = sum / users.Length;
        }
        var ranker = recommender.Snapshot.Ranker;
        return new RecommendBenchReport
        {
            Model = model, Index = index,
            Pipeline = (recommender.Snapshot.Encoder is null ? "user rows" : "encode history") + " → MIPS" + (ranker is null ? "" : " → ranker"),
            Candidates = ranker?.Candidates ?? 0,
            Items = recommender.NumItems, Users = users.Length, K = k, Rows = rows, RecallVsExact = recall,
        };
    }

    /// <summary>Nearest-rank quantile of sorted values.</summary>
    public static double Quantile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int[] Sample(int n, int count, int seed)
    {
        var rng = new Xoshiro256((ulong)seed);
        var all = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < count; i++) { int j = i + rng.NextInt(n - i); (all[i], all[j]) = (all[j], all[i]); }
        return all[..count];
    }
}
