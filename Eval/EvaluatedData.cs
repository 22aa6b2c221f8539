using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Training;

namespace Recsys.Eval;

/// <summary>
/// What an evaluation was computed on, saved in <c>metrics.json</c> so that two results are only compared when they
/// rank the same held-out interactions: the dataset name, the held-out part scored (<c>test</c> or <c>valid</c>), the
/// held-out items kept (<c>all</c>, <c>cold</c>, <c>warm</c>) and a SHA-256 over the whole split — the canonical CSR of
/// train, valid (when present) and test, each hashed as <see cref="DataFingerprint"/> hashes a training matrix — since
/// every part changes the result (train and valid are excluded from the ranking, the held-out part is the target).
/// </summary>
public sealed record EvaluatedData(string Dataset, string HeldOut, string Items, string Sha256)
{
    /// <summary>The fingerprint of evaluating <paramref name="data"/> under <paramref name="options"/>.</summary>
    public static EvaluatedData Of(Dataset data, EvaluationOptions options)
    {
        var sb = new StringBuilder();
        foreach (var part in new[] { data.Train, data.Valid, data.Test })
            sb.Append(part is null ? "-" : DataFingerprint.Of(data.Name, InteractionMatrix.From(part, data.NumUsers, data.NumItems)).TrainSha256).Append(';');
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(sb.ToString())));
        return new EvaluatedData(data.Name, options.Split == EvalSplit.Valid ? "valid" : "test", options.Items.ToString().ToLowerInvariant(), sha);
    }

    /// <summary>Null when <paramref name="other"/> describes the same evaluation data; otherwise the first difference, in words.</summary>
    public string? DifferenceFrom(EvaluatedData other) =>
        Dataset != other.Dataset ? $"dataset '{Dataset}' vs '{other.Dataset}'"
        : HeldOut != other.HeldOut ? $"held-out split '{HeldOut}' vs '{other.HeldOut}'"
        : Items != other.Items ? $"held-out items '{Items}' vs '{other.Items}'"
        : Sha256 != other.Sha256 ? $"the same dataset name '{Dataset}' but different interactions or splits (sha256 {Sha256[..12]}… vs {other.Sha256[..12]}…)"
        : null;

    public JsonObject ToJson() => new() { ["dataset"] = Dataset, ["heldOut"] = HeldOut, ["items"] = Items, ["sha256"] = Sha256 };

    /// <summary>Reads the object <see cref="ToJson"/> writes; null when <paramref name="node"/> is null.</summary>
    public static EvaluatedData? FromJson(JsonNode? node, string file)
    {
        if (node is null) return null;
        string Field(string key) => node[key]?.GetValue<string>() is { Length: > 0 } v ? v
            : throw new DataFormatException(file, 0, "data", $"the data fingerprint lacks '{key}'.");
        return new EvaluatedData(Field("dataset"), Field("heldOut"), Field("items"), Field("sha256"));
    }
}
