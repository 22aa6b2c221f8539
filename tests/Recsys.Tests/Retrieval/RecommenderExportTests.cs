using Recsys.IO;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

public sealed class RecommenderExportTests
{
    private static FittedRecommender Recommender()
    {
        // 3 users × 4 items, d = 2; user 1 has seen items 0 and 3.
        var e = new ModelEmbeddings([1, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8], 2);
        var seen = new Exclusions([0, 0, 2, 2], [0, 3]);
        return FittedRecommender.Create(new ModelSnapshot(e), new RecommenderData { Seen = seen, UserRawIds = ["u1", "u2", "u3"], ItemRawIds = ["i1", "i2", "i3", "i4"] });
    }

    [Fact]
    public void Writes_what_numpy_reads_back_exactly()
    {
        using var r = Recommender();
        var dir = Path.Combine(TestPaths.NewTempDir(), "export");
        var files = RecommenderExport.Write(r, dir);
        Assert.Equal(["item_embeddings.npy", "user_embeddings.npy", "items.txt", "users.txt", "seen_indptr.npy", "seen_indices.npy"], files);
        Assert.Equal(r.Snapshot.Embeddings.Items, NpyFile.ReadFloat32(Path.Combine(dir, "item_embeddings.npy"), out int rows, out int cols));
        Assert.Equal((4, 2), (rows, cols));
        Assert.Equal(r.Snapshot.Embeddings.Users, NpyFile.ReadFloat32(Path.Combine(dir, "user_embeddings.npy"), out rows, out _));
        Assert.Equal(3, rows);
        Assert.Equal(["i1", "i2", "i3", "i4"], File.ReadAllLines(Path.Combine(dir, "items.txt")));
        Assert.Equal(["u1", "u2", "u3"], File.ReadAllLines(Path.Combine(dir, "users.txt")));
        Assert.Equal([0, 0, 2, 2], NpyFile.ReadInt32(Path.Combine(dir, "seen_indptr.npy"), out _, out _));
        Assert.Equal([0, 3], NpyFile.ReadInt32(Path.Combine(dir, "seen_indices.npy"), out _, out _));
    }

    [Fact]
    public void An_existing_folder_is_kept_unless_overwrite_is_asked()
    {
        using var r = Recommender();
        var dir = Path.Combine(TestPaths.NewTempDir(), "export");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "x");
        Assert.Throws<IOException>(() => RecommenderExport.Write(r, dir));
        Assert.True(File.Exists(Path.Combine(dir, "keep.txt")));
        RecommenderExport.Write(r, dir, overwrite: true);
        Assert.False(File.Exists(Path.Combine(dir, "keep.txt")));
    }
}
