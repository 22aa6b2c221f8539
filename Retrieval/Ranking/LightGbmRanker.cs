using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Recsys.IO;
using Recsys.Models;
using Recsys.Retrieval.Mips;

namespace Recsys.Retrieval.Ranking;

/// <summary>
/// A production-style second stage: LightGBM LambdaRank (ML.NET's <c>Ranking.Trainers.LightGbm</c>) scoring a first
/// stage's candidates from <see cref="CandidateFeatures"/>. Trained on training-time examples: for each user the last
/// training item is held out as the one relevant item, and the first stage's top <see cref="LambdaRankOptions.Candidates"/>
/// over the rest of the history (those items excluded) form the group; groups whose held-out item was not retrieved
/// carry no ranking signal and are skipped. For a model with user rows the row saw the held-out item in training, so
/// its first-stage score is optimistic on these examples — the encoder models re-encode the shortened history.
/// A candidate's score depends on its own features only, so it never depends on the order of the candidates; it depends
/// on the other candidates through one feature alone, the first-stage rank within the set (see <see cref="CandidateFeatures"/>).
/// Saved next to a run as <c>ranker.lgbm</c> (ML.NET model zip) and <c>ranker.json</c>. Safe to call concurrently
/// (one prediction engine per thread).
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
    /// Fits the ranker on training-time examples of <paramref name="histories"/> (ordered training items per user),
    /// retrieving candidates through <paramref name="index"/> over the snapshot's item vectors.
    /// </summary>
    /// <param name="features">Feature builder over the first stage and the training data.</param>
    /// <param name="histories">Ordered training histories, one per user.</param>
    /// <param name="index">First-stage index over the snapshot's item vectors.</param>
    /// <param name="options">Training settings.</param>
    public static LightGbmRanker Fit(CandidateFeatures features, IReadOnlyList<int[]> histories, IMipsIndex index, LambdaRankOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int c = Math.Min(options.Candidates, index.Count), f = CandidateFeatures.Count, dim = index.Dim;
        var users = Enumerable.Range(0, histories.Count).Where(u => histories[u].Length >= 2).ToList();
        if (options.MaxUsers > 0 && users.Count > options.MaxUsers) users = users.Take(options.MaxUsers).ToList();
        var examples = new List<Example>();
        int groups = 0;
        // Users in blocks: one encoder call and one index search per block.
        for (int b0 = 0; b0 < users.Count; b0 += Block)
        {
            var block = users.Skip(b0).Take(Block).ToArray();
            var contexts = block.Select(u => histories[u][..^1]).ToArray();
            var queries = features.Queries(block, contexts);
            var ptr = new int[block.Length + 1];
            var seen = new List<int>();
            for (int i = 0; i < block.Length; i++) { seen.AddRange(contexts[i].Distinct().Order()); ptr[i + 1] = seen.Count; }
            var res = index.Search(queries, c, new Exclusions(ptr, seen.ToArray()));
            for (int i = 0; i < block.Length; i++)
            {
                int label = histories[block[i]][^1];
                var cand = res.IdsOf(i).ToArray().Where(id => id >= 0).ToArray();
                if (Array.IndexOf(cand, label) < 0) continue;
                var x = features.Build(queries.AsSpan(i * dim, dim), contexts[i], cand);
                groups++;
                for (int j = 0; j < cand.Length; j++)
                    examples.Add(new Example { Group = (uint)groups, Label = cand[j] == label ? 1 : 0, Features = x.AsSpan(j * f, f).ToArray() });
            }
        }
        int userCount = users.Count;
        if (groups < 2) throw new ArgumentException($"only {groups} of {userCount} users had their held-out item among the first stage's {c} candidates: nothing to learn from.", nameof(histories));
        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(examples);
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Example.Label), FeatureColumnName = nameof(Example.Features), RowGroupColumnName = nameof(Example.Group),
            NumberOfIterations = options.Iterations, NumberOfLeaves = options.Leaves, LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf, NumberOfThreads = options.Threads, Seed = options.Seed,
        });
        var model = ml.Transforms.Conversion.MapValueToKey(nameof(Example.Group)).Append(trainer).Fit(data);
        var info = new RankerInfo("lightgbm-lambdarank/1", CandidateFeatures.Names, c, options, userCount, groups, examples.Count);
        return new LightGbmRanker(ml, model, features, info);
    }

    /// <summary>Writes <c>ranker.lgbm</c> and <c>ranker.json</c> into <paramref name="dir"/> (each to a temp name, then renamed).</summary>
    public void Save(string dir)
    {
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<Example>()).Schema;
        AtomicFile.Write(Path.Combine(dir, ModelFileName), s => _ml.Model.Save(_model, schema, s));
        AtomicFile.WriteAllText(Path.Combine(dir, InfoFileName), JsonSerializer.Serialize(Info, Json));
    }

    /// <summary>Whether <paramref name="dir"/> holds a saved ranker.</summary>
    public static bool ExistsIn(string dir) => File.Exists(Path.Combine(dir, ModelFileName)) && File.Exists(Path.Combine(dir, InfoFileName));

    /// <summary>The ranker saved in <paramref name="dir"/>, over <paramref name="features"/> (built from the same first stage and data).</summary>
    public static LightGbmRanker Load(string dir, CandidateFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var infoPath = Path.Combine(dir, InfoFileName);
        var info = JsonSerializer.Deserialize<RankerInfo>(File.ReadAllText(infoPath), Json)
            ?? throw new InvalidDataException($"{infoPath}: empty ranker record.");
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

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

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
public sealed record RankerInfo(string Format, string[] Features, int Candidates, LambdaRankOptions Options, int Users, int Groups, int Examples);
