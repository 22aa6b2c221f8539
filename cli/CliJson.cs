using System.Text.Json;

namespace Recsys.Cli;

/// <summary>
/// The one JSON convention of every <c>--json</c> output: camelCase keys (as in run.json); metric keys keep their
/// <c>name@K</c> form (<c>recall@20</c>). Records serialised whole go through <see cref="Options"/>.
/// </summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
