namespace Recsys.Data;

/// <summary>
/// Summary counts of a <see cref="Dataset"/>: users, items, interactions per split, density
/// ((train + valid + test) / (users × items)), knowledge-graph and attribute sizes.
/// </summary>
public sealed record DatasetStats(
    string Name, int Users, int Items, int Train, int? Valid, int Test, double Density,
    int? KgEntities, int? KgRelations, int? KgTriples, int? AttributeNames, int? AttributePairs)
{
    public int Interactions => Train + (Valid ?? 0) + Test;

    public static DatasetStats Of(Dataset d)
    {
        int total = d.Train.Count + (d.Valid?.Count ?? 0) + d.Test.Count;
        double cells = (double)d.NumUsers * d.NumItems;
        return new DatasetStats(d.Name, d.NumUsers, d.NumItems, d.Train.Count, d.Valid?.Count, d.Test.Count,
            cells > 0 ? total / cells : 0,
            d.Knowledge?.NumEntities, d.Knowledge?.NumRelations, d.Knowledge?.Count,
            d.Attributes?.Names.Length, d.Attributes?.Count);
    }
}
