using System.Text.Json.Nodes;

namespace Recsys.Eval;

/// <summary>
/// The outcome of one full-ranking evaluation: for each metric key (e.g. "recall@20") the value of every evaluated
/// user (arrays indexed like <see cref="Users"/>) and their mean, plus the wall-clock time. Per-user values are
/// kept so two results on the same users can be compared with a paired test (<see cref="Significance.ResultComparison"/>).
/// </summary>
public sealed class EvaluationResult
{
    private readonly Dictionary<string, double[]> _perUser;
    private readonly Dictionary<string, double> _means;

    /// <param name="keys">Metric keys in report order.</param>
    /// <param name="users">Evaluated user ids (ascending by construction of the evaluator).</param>
    /// <param name="perUser">perUser[m][i] = value of metric keys[m] for users[i].</param>
    /// <param name="seconds">Wall-clock seconds of the evaluation.</param>
    public EvaluationResult(IReadOnlyList<string> keys, int[] users, IReadOnlyList<double[]> perUser, double seconds)
    {
        if (keys.Count != perUser.Count) throw new ArgumentException($"{keys.Count} keys but {perUser.Count} value arrays.");
        if (keys.Distinct().Count() != keys.Count) throw new ArgumentException("duplicate metric keys.");
        Keys = keys.ToArray();
        Users = users;
        Seconds = seconds;
        _perUser = new Dictionary<string, double[]>(StringComparer.Ordinal);
        _means = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int m = 0; m < keys.Count; m++)
        {
            if (perUser[m].Length != users.Length)
                throw new ArgumentException($"metric '{keys[m]}' has {perUser[m].Length} values for {users.Length} users.");
            _perUser[keys[m]] = perUser[m];
            _means[keys[m]] = Mean(perUser[m]);
        }
    }

    /// <summary>
    /// How the ranking was computed when it came from a MIPS index, e.g. "cpu (Avx512)" (exact) or "int8 (AvxVnni, 25
    /// candidates re-ranked in fp32)" (approximate first pass); null for models scored directly (item-KNN).
    /// </summary>
    public string? Scoring { get; init; }

    /// <summary>The data and split the result was computed on (null for results built in memory or saved before it was recorded).</summary>
    public EvaluatedData? Data { get; init; }

    /// <summary>A copy of this result that records <paramref name="data"/>.</summary>
    public EvaluationResult WithData(EvaluatedData data) =>
        new(Keys, Users, Keys.Select(PerUser).ToArray(), Seconds) { Scoring = Scoring, Data = data };

    /// <summary>Metric keys in report order (by K, then recall, ndcg, precision, hit, mrr, map).</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Ids of the evaluated users (those with at least one held-out item).</summary>
    public int[] Users { get; }

    public int NumUsers => Users.Length;
    public double Seconds { get; }

    /// <summary>Mean over evaluated users of each metric (0 when no user was evaluated).</summary>
    public IReadOnlyDictionary<string, double> Means => _means;

    public double Mean(string key) => _means.TryGetValue(key, out var v) ? v
        : throw new KeyNotFoundException($"metric '{key}' is not in this result (has: {string.Join(", ", Keys)}).");

    /// <summary>Values of <paramref name="key"/> per evaluated user, aligned with <see cref="Users"/>.</summary>
    public double[] PerUser(string key) => _perUser.TryGetValue(key, out var v) ? v
        : throw new KeyNotFoundException($"metric '{key}' is not in this result (has: {string.Join(", ", Keys)}).");

    public bool Has(string key) => _perUser.ContainsKey(key);

    /// <summary>The CLI / metrics.json object: one number per metric key, then "users", "seconds", "scoring" and "data" (when known).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        foreach (var k in Keys) o[k] = _means[k];
        o["users"] = NumUsers;
        o["seconds"] = Math.Round(Seconds, 3);
        if (Scoring is not null) o["scoring"] = Scoring;
        if (Data is not null) o["data"] = Data.ToJson();
        return o;
    }

    private static double Mean(double[] v)
    {
        if (v.Length == 0) return 0;
        double s = 0;
        foreach (var x in v) s += x;
        return s / v.Length;
    }
}
