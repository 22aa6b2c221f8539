using Recsys.Tables;
using Recsys.Training;

namespace Recsys.Embeddings.GraphHash;

/// <summary>
/// Locality-sensitive hashing (the GraphHash baseline): b = ⌊log₂ B⌋ random hyperplanes through the origin over a
/// side feature of each id (by default FastRP embeddings of the user-item graph, <see cref="FeatureDim"/> wide, computed once per model inputs); the id's row is its b-bit sign pattern, so the table has 2ᵇ ≤ B rows and ids
/// with similar features share rows. Hyperplanes are Gaussian, drawn from the context seed.
/// </summary>
public sealed record LshTableSpec(int Rows, int FeatureDim = 64, int FeatureSeed = 0) : HashedTableSpec
{
    public override (int[][] Maps, int Rows) Maps(TableContext ctx)
    {
        var features = GraphTableInputs.NodeFeatures(ctx.Inputs, ctx.Side, FeatureDim, FeatureSeed);
        return ([Buckets(features, ctx.Count, FeatureDim, Bits(Math.Min(Rows, ctx.Count)), HashSeed(ctx, 0))], 1 << Bits(Math.Min(Rows, ctx.Count)));
    }

    /// <summary>Hyperplanes for a budget of <paramref name="rows"/>: ⌊log₂ rows⌋ (0 for one row).</summary>
    public static int Bits(int rows) => Math.Min(30, 31 - int.LeadingZeroCount(rows));

    /// <summary>Sign pattern of each row of <paramref name="x"/> [n, d] against <paramref name="bits"/> Gaussian hyperplanes.</summary>
    public static int[] Buckets(ReadOnlySpan<float> x, int n, int d, int bits, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var planes = new float[bits * d];
        for (int i = 0; i < planes.Length; i++) planes[i] = (float)Gaussian(ref rng);
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            int code = 0;
            for (int b = 0; b < bits; b++)
                if (System.Numerics.Tensors.TensorPrimitives.Dot(row, planes.AsSpan(b * d, d)) > 0) code |= 1 << b;
            r[i] = code;
        }
        return r;
    }

    private static double Gaussian(ref Xoshiro256 rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public override int? RowBudget(int ids) => Math.Min(Rows, ids);
    public override int? RowsFor(int ids) => 1 << Bits(Math.Min(Rows, ids));

    public override void Validate()
    {
        base.Validate();
        CheckRows(Rows, nameof(Rows));
        if (FeatureDim < 1) throw new ArgumentOutOfRangeException(nameof(FeatureDim), FeatureDim, "must be at least 1.");
    }
}
