using Recsys.Data;

namespace Recsys.Eval.Baselines;

/// <summary>
/// The most-popular baseline: score(u, i) = number of training interactions of item i, the same list for every
/// user (minus the user's own items). Expressed as dim-1 embeddings — every user [1], item i [popularity(i)] —
/// so it runs through the same MIPS path as trained models; ties go to the lower item id.
/// </summary>
public static class MostPopular
{
    /// <summary>User vectors [NumUsers, 1] (all ones) and item vectors [NumItems, 1] (training degrees).</summary>
    public static (float[] Users, float[] Items) Embeddings(InteractionMatrix train)
    {
        var users = new float[train.NumUsers];
        Array.Fill(users, 1f);
        var items = Array.ConvertAll(train.ItemDegrees(), d => (float)d);
        return (users, items);
    }
}
