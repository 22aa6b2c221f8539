using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recsys.Devices;

/// <summary>
/// Writes a <see cref="DeviceChoice"/> as its string ("auto", "cpu", "cuda", "cuda:N") and reads it back, so run.json
/// keeps the plain strings it held when the device was a string option (old run folders load unchanged).
/// </summary>
public sealed class DeviceChoiceJsonConverter : JsonConverter<DeviceChoice>
{
    public override DeviceChoice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"expected a device string (auto, cpu, cuda or cuda:N), found {reader.TokenType}.");
        var text = reader.GetString()!;
        try { return DeviceChoice.Parse(text); }
        catch (ArgumentException e) { throw new JsonException($"expected a device auto, cpu, cuda or cuda:N, got '{text}'.", e); }
    }

    public override void Write(Utf8JsonWriter writer, DeviceChoice value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
