using TorchSharp;
using static TorchSharp.torch;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// Lloyd's k-means with k-means++ seeding (Arthur &amp; Vassilvitskii 2007), on CPU tensors: the codebook initialiser of
/// RQ-VAE and each level of RQ-KMeans. Deterministic for a seed: seeding draws from <see cref="Random"/>, distances are
/// one matrix product, ties go to the lower centroid. A cluster that loses all its points is re-seeded with the point
/// farthest from its centroid, so every one of the k centroids stays in use while there are enough distinct points.
/// </summary>
public static class KMeans
{
    /// <summary>
    /// Clusters the rows of <paramref name="x"/> (row-major [n, d]) into <paramref name="k"/> ≤ n clusters with at most
    /// <paramref name="iterations"/> Lloyd steps (it stops early once no assignment changes).
    /// </summary>
    /// <param name="x">Row-major [n, d] points, finite.</param>
    /// <param name="n">Points.</param>
    /// <param name="d">Dimensions.</param>
    /// <param name="k">Clusters, 1..n.</param>
    /// <param name="seed">Seed of the k-means++ draws.</param>
    /// <param name="iterations">Most Lloyd steps, ≥ 0.</param>
    public static KMeansResult Fit(float[] x, int n, int d, int k, int seed, int iterations = 25)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != (long)n * d) throw new ArgumentException($"{x.Length} values do not make {n} points of {d} dimensions.", nameof(x));
        using var scope = NewDisposeScope();
        using var t = tensor(x, [n, d]);
        var (c, a, inertia) = Fit(t, k, new Random(seed), iterations);
        return new KMeansResult(c.data<float>().ToArray(), a.to_type(ScalarType.Int32).data<int>().ToArray(), k, d, inertia);
    }

    /// <summary>The tensor form: centroids [k, d], assignments int64 [n], inertia (sum of squared distances).</summary>
    internal static (Tensor Centroids, Tensor Assignments, double Inertia) Fit(Tensor x, int k, Random rng, int iterations)
    {
        long n = x.shape[0];
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k-means cannot make {k} clusters of {n} points.");
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        using var _ = no_grad();
        var xx = x.pow(2).sum(1);
        var centroids = Seed(x, xx, k, rng);
        Tensor assign = Assign(x, xx, centroids, out var best);
        for (int it = 0; it < iterations; it++)
        {
            // Each step's [n, k] distances are freed at once: left to the caller's scope, 25 steps × 3 levels of them
            // held gigabytes, and every step paid for fresh pages.
            using var step = NewDisposeScope();
            var sums = zeros(k, x.shape[1], dtype: x.dtype).index_add_(0, assign, x, 1);
            var counts = bincount(assign, minlength: k).to_type(x.dtype);
            centroids = (sums / counts.clamp_min(1).unsqueeze(1)).MoveToOuterDisposeScope();
            ReseedEmpty(x, centroids, counts, best);
            var next = Assign(x, xx, centroids, out best).MoveToOuterDisposeScope();
            best.MoveToOuterDisposeScope();
            bool same = next.eq(assign).all().item<bool>();
            assign = next;
            if (same) break;
        }
        return (centroids, assign, best.sum().item<float>());
    }

    /// <summary>Nearest centroid of every row (ties to the lower index) and its squared distance.</summary>
    internal static Tensor Assign(Tensor x, Tensor xx, Tensor centroids, out Tensor squaredDistance)
    {
        var dist = centroids.pow(2).sum(1).unsqueeze(0) - 2 * x.mm(centroids.t());
        var (min, arg) = dist.min(1);
        squaredDistance = (min + xx).clamp_min(0);
        return arg;
    }

    private static Tensor Seed(Tensor x, Tensor xx, int k, Random rng)
    {
        long n = x.shape[0];
        var chosen = new long[k];
        chosen[0] = rng.NextInt64(n);
        var d2 = SquaredDistanceTo(x, xx, chosen[0]);
        for (int j = 1; j < k; j++)
        {
            using var step = NewDisposeScope();
            var w = d2.to_type(ScalarType.Float64).data<double>().ToArray();
            double total = w.Sum();
            long pick;
            if (!(total > 0)) pick = rng.NextInt64(n);   // all remaining points coincide with centroids: any point
            else
            {
                double r = rng.NextDouble() * total, acc = 0;
                pick = n - 1;
                for (long i = 0; i < n; i++)
                {
                    acc += w[i];
                    if (acc > r && w[i] > 0) { pick = i; break; }
                }
            }
            chosen[j] = pick;
            d2 = minimum(d2, SquaredDistanceTo(x, xx, pick)).MoveToOuterDisposeScope();
        }
        return x.index_select(0, tensor(chosen)).clone();
    }

    private static Tensor SquaredDistanceTo(Tensor x, Tensor xx, long row)
    {
        var c = x[row];
        return (xx - 2 * x.mv(c) + c.dot(c)).clamp_min(0);
    }

    /// <summary>Empty clusters take the points farthest from their centroids, one distinct point each.</summary>
    private static void ReseedEmpty(Tensor x, Tensor centroids, Tensor counts, Tensor squaredDistance)
    {
        var empty = counts.eq(0).nonzero().flatten();
        long e = empty.shape[0];
        if (e == 0) return;
        var order = squaredDistance.argsort(descending: true);
        long take = Math.Min(e, x.shape[0]);
        centroids.index_copy_(0, empty[TensorIndex.Slice(0, take)], x.index_select(0, order[TensorIndex.Slice(0, take)]));
    }
}

/// <summary>k-means output: row-major centroids [K, Dim], each point's cluster, and the sum of squared distances.</summary>
public sealed record KMeansResult(float[] Centroids, int[] Assignments, int K, int Dim, double Inertia);
