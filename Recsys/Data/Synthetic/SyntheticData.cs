namespace Recsys.Data.Synthetic;

/// <summary>
/// A generated dataset with the ground truth that produced it, for tests and demos that need known answers
/// (community recovery, KG-only recall).
/// </summary>
/// <param name="Dataset">The dataset (what <see cref="SyntheticGenerator.Generate"/> returns).</param>
/// <param name="UserCommunities">Latent community of each user, length Users.</param>
/// <param name="ItemCommunities">Community owning each item, length Items.</param>
/// <param name="KgOnlyItems">Sorted ids of the items that occur only in test (empty unless KgOnlyFraction &gt; 0).</param>
public sealed record SyntheticData(Dataset Dataset, int[] UserCommunities, int[] ItemCommunities, int[] KgOnlyItems);
