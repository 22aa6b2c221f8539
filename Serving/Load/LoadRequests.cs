using System.Text;
using System.Text.Json;
using Recsys.Data;

namespace Recsys.Serving.Load;

/// <summary>
/// The requests a load run cycles through, as ready-to-send JSON bodies, each with the query it stands for (so answers
/// can be checked against the library's). Callers take them round-robin.
/// </summary>
public sealed class LoadRequests
{
    private LoadRequests(IReadOnlyList<RecommendQuery> queries, byte[][] bodies) { Queries = queries; Bodies = bodies; }

    public IReadOnlyList<RecommendQuery> Queries { get; }
    public IReadOnlyList<byte[]> Bodies { get; }
    public int Count => Bodies.Count;

    /// <summary>Bodies of <paramref name="queries"/> serialised with <paramref name="json"/> (the service's JSON settings).</summary>
    public static LoadRequests Of(IReadOnlyList<RecommendQuery> queries, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0) throw new ArgumentException("a load run needs at least one request.", nameof(queries));
        return new LoadRequests(queries, [.. queries.Select(q => JsonSerializer.SerializeToUtf8Bytes(q, json))]);
    }

    /// <summary>
    /// One request per user of <paramref name="data"/> that has training items — <c>{"user": RAW, "k": K}</c>, seen
    /// items excluded — in a seeded random order.
    /// </summary>
    public static LoadRequests ForUsers(Dataset data, int k, int seed, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = InteractionMatrix.From(data.Train, data.NumUsers, data.NumItems);
        var users = Enumerable.Range(0, data.NumUsers).Where(u => train.UserDegree(u) > 0).ToArray();
        if (users.Length == 0) throw new ArgumentException("the dataset has no user with training items.", nameof(data));
        new Random(seed).Shuffle(users);
        var names = data.UserRawIds;
        return Of([.. users.Select(u => new RecommendQuery { User = names is null ? u.ToString() : names[u], K = k })], json);
    }

    /// <summary>
    /// Requests from a JSON-lines file, one <see cref="RecommendQuery"/> body per line (blank lines skipped). A line that
    /// is not a request object is an error naming file:line; at most <paramref name="maxLines"/> lines are read.
    /// </summary>
    public static LoadRequests FromFile(string path, JsonSerializerOptions json, int maxLines = 1_000_000)
    {
        var queries = new List<RecommendQuery>();
        using var reader = new StreamReader(path, Encoding.UTF8);
        int lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (queries.Count == maxLines) throw new InvalidDataException($"{path}:{lineNo}: more than {maxLines} requests.");
            RecommendQuery? q;
            try { q = JsonSerializer.Deserialize<RecommendQuery>(line, json); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{lineNo}: not a request object: {e.Message}", e); }
            if (q is null || q.User is null && q.History is null) throw new InvalidDataException($"{path}:{lineNo}: a request needs \"user\" or \"history\".");
            queries.Add(q);
        }
        if (queries.Count == 0) throw new InvalidDataException($"{path}: no requests.");
        return Of(queries, json);
    }
}
