using Recsys.Data;
using Recsys.Training;

namespace Recsys.Tests.Training;

/// <summary>
/// Two user communities that like disjoint item sets: users 0..U/2-1 interact only with items 0..I/2-1, the rest
/// only with the other half. Each user has <c>perUser</c> training items and <c>testPerUser</c> held-out items
/// from their own half, so a model that learns the communities ranks test items far above popularity.
/// </summary>
internal static class TinyData
{
    public static (InteractionMatrix Train, InteractionMatrix Test) Communities(int users = 40, int items = 30, int perUser = 8, int testPerUser = 2, ulong seed = 7)
    {
        var rng = new Xoshiro256(seed);
        var tu = new List<int>(); var ti = new List<int>(); var su = new List<int>(); var si = new List<int>();
        int half = items / 2;
        for (int u = 0; u < users; u++)
        {
            int lo = u < users / 2 ? 0 : half, hi = u < users / 2 ? half : items;
            var pool = Enumerable.Range(lo, hi - lo).ToArray();
            for (int i = pool.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (pool[i], pool[j]) = (pool[j], pool[i]); }
            for (int k = 0; k < perUser + testPerUser; k++)
            {
                if (k < perUser) { tu.Add(u); ti.Add(pool[k]); } else { su.Add(u); si.Add(pool[k]); }
            }
        }
        return (InteractionMatrix.From(tu.ToArray(), ti.ToArray(), users, items), InteractionMatrix.From(su.ToArray(), si.ToArray(), users, items));
    }
}

/// <summary>Brute-force recall@K over all items with training items excluded — the test stand-in for Eval's evaluator.</summary>
internal sealed class BruteForceRecallScorer(InteractionMatrix train, InteractionMatrix test, int k = 5) : IValidationScorer
{
    public string PrimaryMetric => $"recall@{k}";
    public string Split => "test";
    public int Calls { get; private set; }

    public IReadOnlyDictionary<string, double> Score(Recsys.Models.ModelSnapshot snapshot)
    {
        Calls++;
        var (uu, ii, dim) = (snapshot.Embeddings.Users, snapshot.Embeddings.Items, snapshot.Embeddings.Dim);
        return new Dictionary<string, double> { [PrimaryMetric] = Recall(train, test, k, (x, buf) => ScoreUser(uu, ii, dim, x, buf)) };
    }

    private static void ScoreUser(ReadOnlySpan<float> u, ReadOnlySpan<float> it, int dim, int x, float[] buf)
    {
        for (int i = 0; i < buf.Length; i++)
        {
            float s = 0;
            for (int d = 0; d < dim; d++) s += u[x * dim + d] * it[i * dim + d];
            buf[i] = s;
        }
    }

    public delegate void UserScores(int user, float[] scores);

    /// <summary>Mean over users with test items of |top-K ∩ test| / |test|, ties broken by lower item id.</summary>
    public static double Recall(InteractionMatrix train, InteractionMatrix test, int k, UserScores score)
    {
        var buf = new float[train.NumItems];
        double sum = 0; int n = 0;
        for (int x = 0; x < train.NumUsers; x++)
        {
            var truth = test.ItemsOf(x).ToArray();
            if (truth.Length == 0) continue;
            score(x, buf);
            foreach (var i in train.ItemsOf(x)) buf[i] = float.NegativeInfinity;
            var top = Enumerable.Range(0, buf.Length).OrderByDescending(i => buf[i]).ThenBy(i => i).Take(k).ToArray();
            int hits = top.Count(i => truth.Contains(i));
            sum += (double)hits / truth.Length; n++;
        }
        return n == 0 ? 0 : sum / n;
    }
}

/// <summary>Synchronous IProgress (Progress&lt;T&gt; posts to the thread pool, which tests cannot order).</summary>
internal sealed class SyncProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
