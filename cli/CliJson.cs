using System.Text.Json;
using Recsys.Catalog;

namespace Recsys.Cli;

/// <summary>The one convention of every <c>--json</c> output: camelCase keys (as run.json); metric keys stay as named ("recall@20").</summary>
public static class CliJson
{
    /// <summary>Single-line camelCase serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Build();
    /// <summary><see cref="Options"/> with indentation, for files people read.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    private static JsonSerializerOptions Build()
    {
        var o = new JsonSerializerOptions(RecordJson.Base) { WriteIndented = false };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
