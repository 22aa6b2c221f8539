using Recsys.Tables;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// A trainable recommender (DESIGN.md seam): the one <see cref="Training.Trainer"/> asks it for the loss of a
/// BPR batch and, for evaluation and export, for its final user and item embeddings. Implementations are
/// TorchSharp modules (see <see cref="Module"/>), never choose a device, and take their embedding tables from
/// their options.
/// </summary>
public interface IRecommenderModel : IDisposable
{
    /// <summary>Short model name as used on the command line ("mf", "lightgcn", "ngcf").</summary>
    string Kind { get; }

    /// <summary>The module holding every parameter (the trainer moves, saves and optimises it).</summary>
    nn.Module Module { get; }

    /// <summary>
    /// Scalar training loss of <paramref name="batch"/>, including the L2 term weighted by <paramref name="reg"/>
    /// (see <see cref="BprLoss"/> for the exact formula).
    /// </summary>
    Tensor Loss(BprBatch batch, double reg);

    /// <summary>Rows of the user and item embedding tables as built (compressed tables have fewer than ids).</summary>
    TableRows Tables { get; }

    /// <summary>State of the model's own training-time random generator (dropout) for checkpoints, or null when it draws none.</summary>
    byte[]? SaveRandomState();

    /// <summary>Restores a state from <see cref="SaveRandomState"/>.</summary>
    void RestoreRandomState(byte[] state);

    /// <summary>Final user [NumUsers, Dim] and item [NumItems, Dim] embeddings (no grad, eval mode), copied to arrays.</summary>
    ModelEmbeddings Embeddings();
}

/// <summary>Row-major final embeddings: users [NumUsers, Dim], items [NumItems, Dim]; score(u, i) = users[u] · items[i].</summary>
public sealed record ModelEmbeddings(float[] Users, float[] Items, int Dim)
{
    public int NumUsers => Users.Length / Dim;
    public int NumItems => Items.Length / Dim;
}
