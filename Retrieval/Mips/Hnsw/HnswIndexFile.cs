using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Recsys.IO;

namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>
/// A built HNSW graph on disk next to a run: <c>index.usearch</c> (USearch's own format, vectors included) and
/// <c>index.usearch.json</c> (the fingerprint of what built it). The fingerprint is SHA-256 over the item vectors'
/// bytes, their shape, the graph options (metric, M, efConstruction) and the library version, so a graph built from
/// other embeddings (a retrained run) or other options is never reused: <see cref="OpenOrBuild"/> rebuilds it.
/// Search-time settings (efSearch, threads, over-fetch) are not part of it. Both files are written to a temporary
/// name and renamed.
/// </summary>
public static class HnswIndexFile
{
    /// <summary>The graph's file name in a run folder.</summary>
    public const string DefaultName = "index.usearch";

    private const string Format = "recsys-hnsw/1";

    /// <summary>The sidecar holding the fingerprint of <paramref name="graphPath"/>.</summary>
    public static string SidecarOf(string graphPath) => graphPath + ".json";

    /// <summary>Hex SHA-256 of the items [count, dim], the graph options and the library version.</summary>
    public static string Fingerprint(ReadOnlySpan<float> items, int dim, HnswOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int count = MipsArguments.ItemCount(items, dim);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(
            $"{Format}|usearch {HnswIndex.LibraryVersion}|{options.Metric}|M {options.Connectivity}|efC {options.ExpansionAdd}|{count}x{dim}|"));
        sha.AppendData(MemoryMarshal.AsBytes(items));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Writes the graph of <paramref name="index"/> to <paramref name="path"/> and its fingerprint beside it.</summary>
    public static void Save(HnswIndex index, string path)
    {
        ArgumentNullException.ThrowIfNull(index);
        var graph = index.SaveGraph();
        var record = new Sidecar(Format, Fingerprint(index.Items, index.Dim, index.Options), index.Count, index.Dim,
            index.Options.Metric.ToString(), index.Options.Connectivity, index.Options.ExpansionAdd, HnswIndex.LibraryVersion);
        AtomicFile.Write(path, s => s.Write(graph));
        AtomicFile.WriteAllText(SidecarOf(path), JsonSerializer.Serialize(record, Json));
    }

    /// <summary>
    /// The index saved at <paramref name="path"/> when its fingerprint matches <paramref name="items"/> and
    /// <paramref name="options"/>; null when either file is missing or the fingerprint differs (a stale graph).
    /// </summary>
    public static HnswIndex? TryLoad(string path, float[] items, int dim, HnswOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sidecar = SidecarOf(path);
        if (!File.Exists(path) || !File.Exists(sidecar)) return null;
        Sidecar? record;
        try { record = JsonSerializer.Deserialize<Sidecar>(File.ReadAllText(sidecar), Json); }
        catch (JsonException) { return null; }
        if (record is null || record.Format != Format || record.Fingerprint != Fingerprint(items, dim, options)) return null;
        return HnswIndex.FromGraph(items, dim, options, File.ReadAllBytes(path));
    }

    /// <summary>
    /// Loads the graph at <paramref name="path"/> when it was built from these items and graph options, otherwise
    /// builds it and saves it there. <paramref name="built"/> tells which happened.
    /// </summary>
    public static HnswIndex OpenOrBuild(string path, float[] items, int dim, HnswOptions options, out bool built)
    {
        var loaded = TryLoad(path, items, dim, options);
        built = loaded is null;
        if (loaded is not null) return loaded;
        var index = new HnswIndex(items, dim, options);
        try { Save(index, path); }
        catch { index.Dispose(); throw; }
        return index;
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private sealed record Sidecar(string Format, string Fingerprint, int Items, int Dim, string Metric, int Connectivity, int ExpansionAdd, string Usearch);
}
