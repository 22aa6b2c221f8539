using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Recsys.Catalog;
using Recsys.IO;
using Recsys.Models;
using Recsys.Retrieval.Mips;

namespace Recsys.Retrieval.Ranking;

/// <summary>
/// A production-style second stage: LightGBM LambdaRank (ML.NET's <c>Ranking.Trainers.LightGbm</c>) scoring a first
/// stage's candidates from <see cref="CandidateFeatures"/>. Trained on groups of <see cref="RankerExample"/>s: for each
/// example the first stage's top <see cref="LambdaRankOptions.Candidates"/> over the context (its items excluded) form
/// the group, labelled 1 for the relevant items; groups that retrieved no relevant item carry no ranking signal and are
/// skipped. The default examples (<see cref="RankerExampleSource.Validation"/>) are the validation split's: the
/// situation of test time one step earlier, on items the first stage was not trained on.
/// A candidate's score depends on its own features only, so it never depends on the order of the candidates; it depends
/// on the other candidates through one feature alone, the first-stage rank within the set (see <see cref="CandidateFeatures"/>).
/// <see cref="Score"/> (one request: an ML.NET prediction engine per thread) and <see cref="ScoreBatch"/> (many users'
/// candidates as one <c>IDataView</c> through one <c>Transform</c>) give the same scores for the same first-stage queries.
/// Saved next to a run as <c>ranker.lgbm</c> (ML.NET model zip) and <c>ranker.json</c>. Safe to call concurrently.
/// </summary>
public sealed class LightGbmRanker : ICandidateRanker, IDisposable
{
    /// <summary>File names in a run folder.</summary>
    public const string ModelFileName = "ranker.lgbm", InfoFileName = "ranker.json";

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly CandidateFeatures _features;
    private readonly ThreadLocal<PredictionEngine<Example, Prediction>> _engines;

    private LightGbmRanker(MLContext ml, ITransformer model, CandidateFeatures features, RankerInfo info)
    {
        _ml = ml; _model = model; _features = features; Info = info;
        _engines = new ThreadLocal<PredictionEngine<Example, Prediction>>(() => _ml.Model.CreatePredictionEngine<Example, Prediction>(_model), trackAllValues: true);
    }

    /// <summary>What was fitted: options, groups, examples.</summary>
    public RankerInfo Info { get; }

    public int Candidates => Info.Candidates;

    public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates)
    {
        int n = candidates.Length, f = CandidateFeatures.Count;
        var x = _features.Build(user, history, candidates);
        var engine = _engines.Value!;
        var scores = new float[n];
        for (int j = 0; j < n; j++)
            scores[j] = engine.Predict(new Example { Features = x.AsSpan(j * f, f).ToArray() }).Score;
        return scores;
    }

    /// <summary>
    /// Row q = <see cref="Score"/>(users[q], histories[q], candidates[q]): the first-stage queries in one call
    /// (<see cref="CandidateFeatures.Queries"/>: rows copied, the other histories encoded together), every candidate's
    /// features in one <c>IDataView</c>, one <c>Transform</c>. Equal to <see cref="Score"/> whenever the encoder gives
    /// a history the same vector alone and in a batch (always for user rows).
    /// </summary>
    /// <exception cref="ArgumentException">The three lists differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A candidate is not an item id.</exception>
    public float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(candidates);
        if (histories.Count != users.Count || candidates.Count != users.Count)
            throw new ArgumentException($"{users.Count} users, {histories.Count} histories and {candidates.Count} candidate lists: one of each per user.", nameof(candidates));
        int f = CandidateFeatures.Count;
        var scores = new float[users.Count][];
        var ask = Enumerable.Range(0, users.Count).Where(q => candidates[q].Length > 0).ToArray();
        foreach (int q in Enumerable.Range(0, users.Count).Except(ask)) scores[q] = [];
        if (ask.Length == 0) return scores;
        int dim = _features.Dim;
        var queries = _features.Queries(ask.Select(q => users[q]).ToArray(), ask.Select(q => histories[q]).ToArray());
        var rows = new List<Example>();
        foreach (var (q, i) in ask.Select((q, i) => (q, i)))
        {
            var x = _features.Build(queries.AsSpan(i * dim, dim), histories[q], candidates[q]);
            for (int j = 0; j < candidates[q].Length; j++) rows.Add(new Example { Features = x.AsSpan(j * f, f).ToArray() });
        }
        var all = Predict(rows);
        int at = 0;
        foreach (int q in ask)
        {
            scores[q] = all.AsSpan(at, candidates[q].Length).ToArray();
            at += candidates[q].Length;
        }
        return scores;
    }

    /// <summary>The model's score of every row, in order: one data view, one transform, one cursor.</summary>
    private float[] Predict(IReadOnlyList<Example> rows)
    {
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
        var scores = scored.GetColumn<float>(scored.Schema[nameof(Prediction.Score)]).ToArray();
        if (scores.Length != rows.Count) throw new InvalidOperationException($"the model scored {scores.Length} of {rows.Count} candidates.");
        return scores;
    }

    /// <summary>
    /// Fits the ranker on <paramref name="examples"/>, retrieving each group's candidates through
    /// <paramref name="index"/> over the snapshot's item vectors (the context's items excluded). The record
    /// (<see cref="Info"/>) names the examples' source, also in its options.
    /// </summary>
    /// <param name="features">Feature builder over the first stage and the training data.</param>
    /// <param name="examples">Training groups (see <see cref="RankerExampleSet"/>).</param>
    /// <param name="index">First-stage index over the snapshot's item vectors.</param>
    /// <param name="options">Training settings.</param>
    /// <exception cref="ArgumentException">Fewer than two groups retrieved a relevant item.</exception>
    public static LightGbmRanker Fit(CandidateFeatures features, RankerExampleSet examples, IMipsIndex index, LambdaRankOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options = options with { Examples = examples.Source };
        int c = Math.Min(options.Candidates, index.Count), f = CandidateFeatures.Count, dim = index.Dim;
        var used = examples.Examples;
        if (options.MaxUsers > 0 && used.Count > options.MaxUsers) used = used.Take(options.MaxUsers).ToList();
        var rows = new List<Example>();
        int groups = 0;
        // Examples in blocks: one encoder call and one index search per block.
        for (int b0 = 0; b0 < used.Count; b0 += Block)
        {
            var block = used.Skip(b0).Take(Block).ToArray();
            var queries = features.Queries(block.Select(e => e.User).ToArray(), block.Select(e => e.Context).ToArray());
            var ptr = new int[block.Length + 1];
            var seen = new List<int>();
            for (int i = 0; i < block.Length; i++) { seen.AddRange(block[i].Context.Distinct().Order()); ptr[i + 1] = seen.Count; }
            var res = index.Search(queries, c, new Exclusions(ptr, seen.ToArray()));
            for (int i = 0; i < block.Length; i++)
            {
                var relevant = block[i].Relevant;
                var cand = res.IdsOf(i).ToArray().Where(id => id >= 0).ToArray();
                if (!cand.Any(relevant.Contains)) continue;
                var x = features.Build(queries.AsSpan(i * dim, dim), block[i].Context, cand);
                groups++;
                for (int j = 0; j < cand.Length; j++)
                    rows.Add(new Example { Group = (uint)groups, Label = relevant.Contains(cand[j]) ? 1 : 0, Features = x.AsSpan(j * f, f).ToArray() });
            }
        }
        if (groups < 2)
            throw new ArgumentException($"only {groups} of {used.Count} {Describe(examples.Source)} examples had a relevant item among the first stage's {c} candidates: nothing to learn from.", nameof(examples));
        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Example.Label), FeatureColumnName = nameof(Example.Features), RowGroupColumnName = nameof(Example.Group),
            NumberOfIterations = options.Iterations, NumberOfLeaves = options.Leaves, LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf, NumberOfThreads = options.Threads, Seed = options.Seed,
        });
        var model = ml.Transforms.Conversion.MapValueToKey(nameof(Example.Group)).Append(trainer).Fit(data);
        var info = new RankerInfo(FormatName, CandidateFeatures.Names, c, options, used.Count, groups, rows.Count) { Source = examples.Source };
        return new LightGbmRanker(ml, model, features, info);
    }

    private static string Describe(RankerExampleSource source) => source switch
    {
        RankerExampleSource.Validation => "validation",
        _ => "held-out training",
    };

    /// <summary>Writes <c>ranker.lgbm</c> and <c>ranker.json</c> into <paramref name="dir"/> (each to a temp name, then renamed).</summary>
    public void Save(string dir)
    {
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<Example>()).Schema;
        AtomicFile.Write(Path.Combine(dir, ModelFileName), s => _ml.Model.Save(_model, schema, s));
        AtomicFile.WriteAllText(Path.Combine(dir, InfoFileName), JsonSerializer.Serialize(Info, RecordJson.Base));
    }

    /// <summary>Whether <paramref name="dir"/> holds a saved ranker.</summary>
    public static bool ExistsIn(string dir) => File.Exists(Path.Combine(dir, ModelFileName)) && File.Exists(Path.Combine(dir, InfoFileName));

    /// <summary>The ranker saved in <paramref name="dir"/>, over <paramref name="features"/> (built from the same first stage and data).</summary>
    public static LightGbmRanker Load(string dir, CandidateFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var infoPath = Path.Combine(dir, InfoFileName);
        var info = JsonSerializer.Deserialize<RankerInfo>(File.ReadAllText(infoPath), RecordJson.Base)
            ?? throw new InvalidDataException($"{infoPath}: empty ranker record.");
        // Records written before the example source was recorded were fitted on held-out training items, the only source then.
        if (info.Source is null) info = info with { Source = RankerExampleSource.HeldOutTraining, Options = info.Options with { Examples = RankerExampleSource.HeldOutTraining } };
        if (!info.Features.SequenceEqual(CandidateFeatures.Names))
            throw new InvalidDataException($"{infoPath}: the ranker was fitted on features [{string.Join(", ", info.Features)}], this build computes [{string.Join(", ", CandidateFeatures.Names)}]; fit it again.");
        var ml = new MLContext(info.Options.Seed);
        using var s = File.OpenRead(Path.Combine(dir, ModelFileName));
        var model = ml.Model.Load(s, out _);
        return new LightGbmRanker(ml, model, features, info);
    }

    public void Dispose()
    {
        foreach (var e in _engines.Values) e.Dispose();
        _engines.Dispose();
    }

    /// <summary>Users per encoder call and index search while building training examples.</summary>
    private const int Block = 256;

    private const string FormatName = "lightgbm-lambdarank/1";

    /// <summary>One candidate of one group.</summary>
    internal sealed class Example
    {
        public uint Group { get; set; }
        public float Label { get; set; }
        [VectorType(8)] public float[] Features { get; set; } = [];
    }

    internal sealed class Prediction
    {
        public float Score { get; set; }
    }
}

/// <summary>The record of a fitted <see cref="LightGbmRanker"/> (<c>ranker.json</c>).</summary>
/// <param name="Format">File format tag.</param>
/// <param name="Features">Feature names, in column order.</param>
/// <param name="Candidates">First-stage candidates per group and at serving.</param>
/// <param name="Options">Training settings.</param>
/// <param name="Users">Examples (users) considered.</param>
/// <param name="Groups">Examples whose candidates held a relevant item (the training groups).</param>
/// <param name="Examples">Candidate rows over all groups.</param>
public sealed record RankerInfo(string Format, string[] Features, int Candidates, LambdaRankOptions Options, int Users, int Groups, int Examples)
{
    /// <summary>Where the examples came from; null only while reading a record written before it was recorded.</summary>
    public RankerExampleSource? Source { get; init; }
}
