using System.Text.Json;
using System.Text.Json.Nodes;
using Recsys.IO;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// What built a codes file, kept beside it as <c>NAME.index.json</c>: method, settings, the parameters given, the
/// features used, time, reconstruction error and per-epoch losses. <c>recsys index info</c> reads it for the figures
/// the codes alone cannot give.
/// </summary>
public sealed record SemanticIndexRecord
{
    public required string Method { get; init; }
    public required SemanticIndexSettings Settings { get; init; }
    /// <summary>Method parameters as given (name → text).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the item features came from, or null for methods that read none.</summary>
    public string? Features { get; init; }
    public required string Data { get; init; }
    public required double Seconds { get; init; }
    /// <summary>CPU seconds of the process while indexing (wall seconds mislead on a shared machine).</summary>
    public double? CpuSeconds { get; init; }
    /// <summary>libtorch intra-op threads the indexer ran with.</summary>
    public int? TorchThreads { get; init; }
    public double? ReconstructionError { get; init; }
    public int ReseededCodes { get; init; }
    public IReadOnlyList<EpochLoss> Losses { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary><c>codes.arrow</c> → <c>codes.index.json</c>.</summary>
    public static string PathFor(string codesPath) => Path.ChangeExtension(codesPath, ".index.json");

    /// <summary>Writes the record atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The record at <paramref name="path"/>, or null when there is none or it cannot be read as one.</summary>
    public static SemanticIndexRecord? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<SemanticIndexRecord>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; }
    }

    /// <summary>The record as a JSON object (camelCase).</summary>
    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, Json)!.AsObject();
}
