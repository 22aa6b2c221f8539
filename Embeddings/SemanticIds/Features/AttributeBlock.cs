using Recsys.Data;

namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>
/// Item attributes as TF-IDF-weighted multi-hot rows, one column per attribute name: tf = times the attribute is listed
/// for the item, idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smoothed form), each row L2-normalised. Items without
/// attributes get zero rows. With <paramref name="projectDim"/> &gt; 0 the rows are then multiplied by a seeded Gaussian
/// random matrix [attributes, projectDim] (entries N(0, 1/projectDim)), which keeps their cosine geometry
/// (Johnson–Lindenstrauss) in a dense block. Why project: the per-dimension standardisation that follows would blow a
/// rare attribute's column up to ≈ √(N / df) (a brand of 5 items among 12,101 → ≈ 49), so a raw multi-hot block lets a
/// few rare attributes dominate every distance; the projected block keeps idf's proportions.
/// </summary>
/// <param name="projectDim">Width of the random projection; 0 keeps one column per attribute.</param>
/// <param name="seed">Seed of the projection.</param>
public sealed class AttributeBlock(int projectDim = 0, int seed = 0) : IItemFeatureBlock
{
    public string Name => "attributes";

    public float[] Build(Dataset data, out int dim)
    {
        ArgumentNullException.ThrowIfNull(data);
        var at = data.Attributes ?? throw new ArgumentException($"dataset '{data.Name}' has no item attributes (item_attributes.arrow); import them, or leave 'attributes' out of the feature blocks.");
        int n = data.NumItems;
        dim = at.Names.Length;
        if (dim == 0) throw new ArgumentException($"dataset '{data.Name}' names no attributes.");
        var x = new float[(long)n * dim];
        for (int r = 0; r < at.Count; r++) x[(long)at.Items[r] * dim + at.Attributes[r]] += 1;
        var df = new int[dim];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < dim; a++)
                if (x[(long)i * dim + a] > 0) df[a]++;
        var idf = df.Select(d => (float)(Math.Log((1.0 + n) / (1.0 + d)) + 1)).ToArray();
        for (int i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * dim, dim);
            double norm = 0;
            for (int a = 0; a < dim; a++) { row[a] *= idf[a]; norm += row[a] * row[a]; }
            if (norm > 0)
            {
                float inv = (float)(1 / Math.Sqrt(norm));
                for (int a = 0; a < dim; a++) row[a] *= inv;
            }
        }
        return projectDim > 0 ? Project(x, n, ref dim) : x;
    }

    private float[] Project(float[] x, int n, ref int dim)
    {
        int a = dim, p = projectDim;
        var rng = new Random(seed);
        var r = new float[(long)a * p];
        double scale = 1 / Math.Sqrt(p);
        for (int i = 0; i < r.Length; i++)
        {
            // Box–Muller: a standard normal from two uniforms.
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            r[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        var y = new float[(long)n * p];
        for (int i = 0; i < n; i++)
        {
            var dst = y.AsSpan(i * p, p);
            for (int j = 0; j < a; j++)
            {
                float v = x[(long)i * a + j];
                if (v == 0) continue;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(r.AsSpan(j * p, p), v, dst, dst);
            }
        }
        dim = p;
        return y;
    }
}
