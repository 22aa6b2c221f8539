using System.Security.Cryptography;
using System.Text.Json;

namespace Recsys.IO;

/// <summary>
/// A folder's manifest of SHA-256 checksums (file name → hex), written after its files and verified before any of
/// them is read back, so flipped or truncated bytes are reported by file instead of loading silently.
/// </summary>
public static class FileChecksums
{
    /// <summary>Writes <paramref name="manifest"/> in <paramref name="dir"/> listing every other file there.</summary>
    public static void Write(string dir, string manifest)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            var name = Path.GetFileName(f);
            if (name != manifest) sums[name] = Hash(f);
        }
        File.WriteAllText(Path.Combine(dir, manifest), JsonSerializer.Serialize(sums));
    }

    /// <summary>
    /// Checks every file the manifest lists; throws <see cref="Data.DataFormatException"/> naming the first file that is
    /// missing or differs. A folder without a manifest (written before checksums existed) passes.
    /// </summary>
    public static void Verify(string dir, string manifest)
    {
        var path = Path.Combine(dir, manifest);
        if (!File.Exists(path)) return;
        Dictionary<string, string>? sums;
        try { sums = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new Data.DataFormatException(path, 0, null, $"unreadable checksum manifest ({e.Message})."); }
        foreach (var (name, expected) in sums ?? [])
        {
            var file = Path.Combine(dir, Path.GetFileName(name));
            if (!File.Exists(file)) throw new Data.DataFormatException(file, 0, null, "listed in the checksums but missing.");
            if (!string.Equals(Hash(file), expected, StringComparison.OrdinalIgnoreCase))
                throw new Data.DataFormatException(file, 0, null, "checksum mismatch: the file was changed or damaged after it was written.");
        }
    }

    private static string Hash(string file)
    {
        using var fs = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
