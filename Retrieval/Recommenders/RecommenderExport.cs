using Recsys.IO;

namespace Recsys.Retrieval.Recommenders;

/// <summary>
/// Writes what a fitted recommender serves in formats Python reads with numpy alone, for users who score, serve or
/// compare outside .NET: <c>item_embeddings.npy</c> (float32 [items, d]), <c>user_embeddings.npy</c> when the model has
/// user rows, <c>items.txt</c>/<c>users.txt</c> (the raw id of each row, one per line), and the seen items each known user
/// has as CSR — <c>seen_indptr.npy</c> (int32 [users + 1]) and <c>seen_indices.npy</c> (int32). The folder is written
/// whole or not at all.
/// </summary>
public static class RecommenderExport
{
    /// <returns>The files written, in the folder.</returns>
    public static IReadOnlyList<string> Write(FittedRecommender recommender, string folder, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        var e = recommender.Snapshot.Embeddings;
        var data = recommender.Data;
        var written = new List<string>();
        AtomicFile.WriteFolder(folder, dir =>
        {
            void Add(string name, Action<string> write) { write(Path.Combine(dir, name)); written.Add(name); }
            Add("item_embeddings.npy", p => NpyFile.WriteFloat32(p, e.Items, e.NumItems, e.Dim));
            if (e.NumUsers > 0) Add("user_embeddings.npy", p => NpyFile.WriteFloat32(p, e.Users, e.NumUsers, e.Dim));
            Add("items.txt", p => File.WriteAllLines(p, Enumerable.Range(0, e.NumItems).Select(data.ItemName)));
            if (data.Seen is { } seen)
            {
                var indptr = new int[seen.Rows + 1];
                var indices = new List<int>();
                for (int u = 0; u < seen.Rows; u++) { indices.AddRange(seen.Row(u)); indptr[u + 1] = indices.Count; }
                Add("users.txt", p => File.WriteAllLines(p, Enumerable.Range(0, seen.Rows).Select(u => data.UserRawIds is { } raw ? raw[u] : u.ToString())));
                Add("seen_indptr.npy", p => NpyFile.WriteInt32Vector(p, indptr));
                Add("seen_indices.npy", p => NpyFile.WriteInt32Vector(p, indices.ToArray()));
            }
        }, overwrite);
        return written;
    }
}
