namespace Recsys.Training;

/// <summary>Which items the BPR sampler draws negatives from.</summary>
public enum NegativePool
{
    /// <summary>Every item (the papers' uniform sampler).</summary>
    AllItems,
    /// <summary>Only items with at least one training interaction. An item nobody has interacted with in training is
    /// no evidence of dislike; drawing it as a negative pushes every such "cold" item to the bottom of every ranking,
    /// which undoes what a knowledge-graph model could infer for it.</summary>
    TrainedItems,
}
