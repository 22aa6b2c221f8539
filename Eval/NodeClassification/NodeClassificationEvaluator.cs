using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Recsys.Data;

namespace Recsys.Eval.NodeClassification;

/// <summary>Macro- and Micro-F1 of each repeat, with their means and (population) standard deviations.</summary>
public sealed record NodeClassificationResult(double[] MacroF1, double[] MicroF1, int LabelledNodes, int TrainNodes, int Labels)
{
    public double MacroMean => MacroF1.Average();
    public double MicroMean => MicroF1.Average();
    public double MacroStd => Std(MacroF1);
    public double MicroStd => Std(MicroF1);

    private static double Std(double[] x)
    {
        double m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / x.Length);
    }
}

/// <summary>
/// Multi-label node classification as in DeepWalk / node2vec / FastRP: one-vs-rest L2-regularised logistic regression
/// (ML.NET <c>LbfgsLogisticRegression</c>, one binary model per label) trained on a random share of the labelled nodes;
/// each test node is predicted with as many labels as it truly has — its top-k labels by logit w·x + b (the same
/// order as scikit-learn's per-label probabilities) — and Macro-F1 (mean over labels, 0 for a label with no true and no
/// predicted test node) and Micro-F1 (over all node-label decisions) are reported.
/// </summary>
public static class NodeClassificationEvaluator
{
    /// <summary>
    /// Evaluates embeddings (<paramref name="vectors"/> row-major [ids.Count, dim], row r for node <paramref name="ids"/>[r])
    /// against <paramref name="labels"/>. Every labelled node needs an embedding.
    /// </summary>
    public static NodeClassificationResult Evaluate(float[] vectors, int dim, IReadOnlyList<string> ids, NodeLabels labels,
        NodeClassificationOptions options, string labelsSource = "labels")
    {
        options.Validate();
        if (vectors.Length != (long)ids.Count * dim) throw new ArgumentException($"{vectors.Length} values do not make {ids.Count} rows of {dim}.");
        var rowOf = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (int r = 0; r < ids.Count; r++) rowOf[NodeLabels.NormalizeId(ids[r])] = r;
        int n = labels.Nodes.Count;
        var rows = new int[n];
        for (int i = 0; i < n; i++)
            if (!rowOf.TryGetValue(labels.Nodes[i], out rows[i]))
                throw new DataFormatException(labelsSource, 0, "node", $"node '{labels.Nodes[i]}' has no embedding.");

        int train = (int)(options.TrainRatio * n);
        if (train < 1 || train >= n) throw new ArgumentOutOfRangeException(nameof(options), $"train ratio {options.TrainRatio} leaves {train} of {n} nodes for training.");
        var macro = new double[options.Repeats];
        var micro = new double[options.Repeats];
        for (int rep = 0; rep < options.Repeats; rep++)
        {
            var order = Enumerable.Range(0, n).ToArray();
            new Random(options.Seed + rep).Shuffle(order);
            (macro[rep], micro[rep]) = OneSplit(vectors, dim, rows, labels, order.AsSpan(0, train).ToArray(), order.AsSpan(train).ToArray(), options);
        }
        return new NodeClassificationResult(macro, micro, n, train, labels.LabelCount);
    }

    private static (double Macro, double Micro) OneSplit(float[] x, int dim, int[] rows, NodeLabels labels, int[] trainNodes, int[] testNodes, NodeClassificationOptions o)
    {
        int L = labels.LabelCount;
        var trainX = new float[trainNodes.Length][];
        for (int t = 0; t < trainNodes.Length; t++) trainX[t] = x.AsSpan(rows[trainNodes[t]] * dim, dim).ToArray();
        var has = new bool[L][];
        for (int l = 0; l < L; l++) has[l] = new bool[trainNodes.Length];
        for (int t = 0; t < trainNodes.Length; t++)
            foreach (var l in labels.Labels[trainNodes[t]]) has[l][t] = true;

        // scores[l][t]: logit of label l for test node t.
        var scores = new float[L][];
        var po = new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism ?? Environment.ProcessorCount };
        Parallel.For(0, L, po, l => scores[l] = TrainAndScore(trainX, has[l], x, dim, rows, testNodes, o));

        var tp = new long[L]; var fp = new long[L]; var fn = new long[L];
        var s = new float[L];
        var idx = new int[L];
        for (int t = 0; t < testNodes.Length; t++)
        {
            var truth = labels.Labels[testNodes[t]];
            for (int l = 0; l < L; l++) { s[l] = -scores[l][t]; idx[l] = l; }
            // Ascending sort of negated scores = descending scores; ties go to the lower label index.
            Array.Sort(s, idx);
            for (int r = 0; r < truth.Length; r++)
            {
                int l = idx[r];
                if (Array.BinarySearch(truth, l) >= 0) tp[l]++; else fp[l]++;
            }
            foreach (var l in truth)
                if (Array.IndexOf(idx, l, 0, truth.Length) < 0) fn[l]++;
        }
        double macro = 0;
        for (int l = 0; l < L; l++)
        {
            long den = 2 * tp[l] + fp[l] + fn[l];
            macro += den == 0 ? 0 : 2.0 * tp[l] / den;
        }
        long TP = tp.Sum(), FP = fp.Sum(), FN = fn.Sum();
        double micro = TP == 0 ? 0 : 2.0 * TP / (2 * TP + FP + FN);
        return (macro / L, micro);
    }

    private sealed class Example
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private static float[] TrainAndScore(float[][] trainX, bool[] y, float[] x, int dim, int[] rows, int[] testNodes, NodeClassificationOptions o)
    {
        var result = new float[testNodes.Length];
        int positives = y.Count(v => v);
        if (positives == 0 || positives == y.Length)
        {
            // A label seen on no (or every) training node: a constant predictor, as scikit-learn's one-vs-rest does.
            Array.Fill(result, positives == 0 ? float.NegativeInfinity : float.PositiveInfinity);
            return result;
        }
        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var data = ml.Data.LoadFromEnumerable(trainX.Select((f, t) => new Example { Label = y[t], Features = f }), schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = (float)(1.0 / o.C),
            L1Regularization = 0,
            OptimizationTolerance = o.Tolerance,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data).Model.SubModel;
        var w = model.Weights.ToArray();
        float b = model.Bias;
        for (int t = 0; t < testNodes.Length; t++)
            result[t] = TensorPrimitives.Dot(w, x.AsSpan(rows[testNodes[t]] * dim, dim)) + b;
        return result;
    }
}
