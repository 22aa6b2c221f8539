using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cluster;

/// <summary>Seeded item and query matrices for the cluster tests, and writers for the files shards load.</summary>
public static class ItemFiles
{
    /// <summary>
    /// [n, d] values; <paramref name="coarse"/> draws from {−1, −½, 0, ½, 1} so exact ties between items (within and
    /// across shards) are common and the tie rule is exercised, otherwise Gaussian-like.
    /// </summary>
    public static float[] Random(int n, int d, int seed, bool coarse)
    {
        var rng = new Random(seed);
        var x = new float[n * d];
        for (int i = 0; i < x.Length; i++)
            x[i] = coarse ? (rng.Next(5) - 2) * 0.5f : (float)(rng.NextDouble() * 2 - 1 + (rng.NextDouble() - 0.5));
        return x;
    }

    /// <summary>Writes <paramref name="items"/> as <paramref name="ext"/> ("arrow" or "npy") into a new temp folder; returns the path.</summary>
    public static string Write(float[] items, int d, string ext)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "items." + ext);
        EmbeddingFile.Write(path, items, items.Length / d, d);
        return path;
    }
}
