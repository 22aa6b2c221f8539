namespace Recsys.Training;

/// <summary>How the BPR sampler picks an epoch's (user, positive) pairs; negatives are drawn the same way in both.</summary>
public enum PairSampling
{
    /// <summary>One pass over the training interactions in a random order: every pair once per epoch.</summary>
    Interactions,
    /// <summary>
    /// As many draws as interactions, each a uniformly random user (users without training items are skipped) and
    /// one of that user's positives uniformly — the official LightGCN (<c>UniformSample_original</c>) and NGCF samplers.
    /// Light users weigh as much per epoch as heavy ones.
    /// </summary>
    Users,
}
