using Recsys.Data;
using Recsys.Models;

namespace Recsys.Tables;

/// <summary>Which ids a table serves.</summary>
public enum TableSide
{
    Users,
    Items,
}

/// <summary>
/// Everything a <see cref="EmbeddingTableSpec"/> may use to build its table: the shape (<see cref="Count"/> ids,
/// rows of width <see cref="Dim"/>), the seed of its weights and hash functions, the model's inputs and the side it
/// serves (hashed tables derive their id → row maps from them: degrees, clusters, side features). Values derived from
/// the inputs that both sides need (a clustering) go through <see cref="ModelInputs.Derived"/>, so they are computed once.
/// </summary>
public sealed record TableContext(int Count, int Dim, ulong Seed, ModelInputs Inputs, TableSide Side)
{
    /// <summary>The training interactions.</summary>
    public InteractionMatrix Train => Inputs.Train;

    /// <summary>The table's ids per side: users or items of the inputs.</summary>
    public static TableContext For(ModelInputs inputs, TableSide side, int dim, ulong seed) =>
        new(side == TableSide.Users ? inputs.NumUsers : inputs.NumItems, dim, seed, inputs, side);

    /// <summary>Training degree of every id on this side (interactions per user or per item).</summary>
    public int[] Degrees()
    {
        if (Side == TableSide.Items) return Train.ItemDegrees();
        var d = new int[Train.NumUsers];
        for (int u = 0; u < d.Length; u++) d[u] = Train.UserDegree(u);
        return d;
    }
}
