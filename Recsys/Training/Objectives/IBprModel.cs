using Recsys.Models;
using static TorchSharp.torch;

namespace Recsys.Training.Objectives;

/// <summary>A model trained with the BPR objective: the loss of a batch of (user, positive, negatives) triples.</summary>
public interface IBprModel
{
    /// <summary>
    /// Scalar training loss of <paramref name="batch"/>, including the L2 term weighted by <paramref name="reg"/>
    /// (see <see cref="BprLoss"/> for the exact formula).
    /// </summary>
    Tensor BprLoss(BprBatch batch, double reg);
}
