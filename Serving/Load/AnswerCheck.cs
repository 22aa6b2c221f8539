using System.Text.Json;

namespace Recsys.Serving.Load;

/// <summary>
/// Compares a service's JSON answer (<c>{"items": [{"item", "score"}], "generation"}</c>) with the library's answer to
/// the same request. Equal means: the same number of items, each position's score within a relative 1e-4 of the
/// expected score, and every expected item that scores clearly above the last kept score present — so two exact
/// engines that order tied scores differently (FAISS and this library) still agree.
/// </summary>
public static class AnswerCheck
{
    private const float Tolerance = 1e-4f;

    /// <summary>Null when <paramref name="body"/> agrees with <paramref name="expected"/>, else the first difference.</summary>
    public static string? Difference(ReadOnlySpan<byte> body, RecommendAnswer expected, out long? generation)
    {
        generation = null;
        List<(string Item, float Score)> got;
        try { got = Parse(body, out generation); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return $"unreadable answer: {e.Message}"; }
        var want = expected.Items;
        if (got.Count != want.Count) return $"{got.Count} items, expected {want.Count}";
        for (int i = 0; i < want.Count; i++)
            if (!Close(got[i].Score, want[i].Score)) return $"position {i + 1}: score {got[i].Score} ({got[i].Item}), expected {want[i].Score} ({want[i].Item})";
        if (want.Count == 0) return null;
        float last = want[^1].Score;
        var ids = new HashSet<string>(got.Select(g => g.Item), StringComparer.Ordinal);
        foreach (var w in want)
            if (w.Score > last && !Close(w.Score, last) && !ids.Contains(w.Item)) return $"item {w.Item} (score {w.Score}) missing";
        return null;
    }

    private static bool Close(float a, float b) => Math.Abs(a - b) <= Tolerance * Math.Max(1f, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static List<(string, float)> Parse(ReadOnlySpan<byte> body, out long? generation)
    {
        var doc = JsonDocument.Parse(body.ToArray());
        using (doc)
        {
            var root = doc.RootElement;
            generation = root.TryGetProperty("generation", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt64() : null;
            var items = new List<(string, float)>();
            foreach (var e in root.GetProperty("items").EnumerateArray())
                items.Add((e.GetProperty("item").GetString() ?? "", e.GetProperty("score").GetSingle()));
            return items;
        }
    }
}
