using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recsys.Serving;

/// <summary>The HTTP API's JSON conventions (ASP.NET Core's web defaults: camelCase, case-insensitive), for clients written against it.</summary>
public static class ServingJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
