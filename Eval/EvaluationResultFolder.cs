using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Recsys.Data;
using Recsys.IO;

namespace Recsys.Eval;

/// <summary>
/// Saves and loads an <see cref="EvaluationResult"/> as a folder: <c>metrics.json</c> (the <see cref="EvaluationResult.ToJson"/>
/// object) and <c>per_user.arrow</c> (columns <c>user:int32</c> and one <c>float64</c> column per metric key, in key order),
/// which pyarrow / pandas read directly. The folder is written atomically.
/// </summary>
public static class EvaluationResultFolder
{
    public const string MetricsFile = "metrics.json";
    public const string PerUserFile = "per_user.arrow";

    public static void Save(EvaluationResult result, string folder, bool overwrite = false) =>
        AtomicFile.WriteFolder(folder, tmp =>
        {
            var cols = new List<(string, IArrowArray)> { ("user", ArrowWriter.Int32Column(result.Users)) };
            foreach (var k in result.Keys) cols.Add((k, DoubleColumn(result.PerUser(k))));
            ArrowWriter.Write(Path.Combine(tmp, PerUserFile), cols.ToArray());
            File.WriteAllText(Path.Combine(tmp, MetricsFile),
                result.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }, overwrite);

    /// <summary>Reads a folder written by <see cref="Save"/>; float32 metric columns are accepted too.</summary>
    public static EvaluationResult Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: result folder not found.");
        var perUserPath = Path.Combine(folder, PerUserFile);
        var metricsPath = Path.Combine(folder, MetricsFile);
        double seconds = 0;
        string? scoring = null;
        EvaluatedData? data = null;
        if (File.Exists(metricsPath))
        {
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(metricsPath));
                seconds = json?["seconds"]?.GetValue<double>() ?? 0;
                scoring = json?["scoring"]?.GetValue<string>();
                data = EvaluatedData.FromJson(json?["data"], metricsPath);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            { throw new DataFormatException(metricsPath, 0, null, $"invalid JSON ({e.Message}).", e); }
        }
        using var t = ArrowTable.Open(perUserPath);
        var users = t.Int32("user");
        var keys = new List<string>();
        var values = new List<double[]>();
        foreach (var field in t.Schema.FieldsList)
        {
            if (field.Name == "user") continue;
            keys.Add(field.Name);
            values.Add(ReadNumbers(t, field.Name, perUserPath));
        }
        return new EvaluationResult(keys, users, values, seconds) { Scoring = scoring, Data = data };
    }

    private static IArrowArray DoubleColumn(ReadOnlySpan<double> v) =>
        new DoubleArray(new ArrowBuffer.Builder<double>(v.Length).Append(v).Build(), ArrowBuffer.Empty, v.Length, 0, 0);

    private static double[] ReadNumbers(ArrowTable t, string name, string path)
    {
        int c = t.Schema.GetFieldIndex(name);
        var result = new double[t.RowCount];
        int o = 0;
        foreach (var b in t.Batches)
        {
            switch (b.Column(c))
            {
                case DoubleArray d: d.Values.CopyTo(result.AsSpan(o)); break;
                case FloatArray f: for (int i = 0; i < f.Length; i++) result[o + i] = f.Values[i]; break;
                default: throw new DataFormatException(path, 0, name, $"expected float64 or float32 values, found {b.Column(c).Data.DataType.Name}.");
            }
            o += b.Length;
        }
        return result;
    }
}
