using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// A trainable recommender (DESIGN.md seam). It brings its objective — the phases the one <see cref="Trainer"/> runs
/// each epoch and the parameter groups their optimizers step — and, for evaluation, export and serving, a
/// <see cref="ModelSnapshot"/> of what it has learned. Implementations are TorchSharp modules (see
/// <see cref="Module"/>), never choose a device, and take their embedding tables from their options.
/// </summary>
public interface IRecommenderModel : IDisposable
{
    /// <summary>Model kind as registered ("mf", "lightgcn", "ngcf", "kgat").</summary>
    string Kind { get; }

    /// <summary>The module holding every parameter (the trainer moves, saves and optimises it).</summary>
    nn.Module Module { get; }

    /// <summary>Rows and parameters of the user and item embedding tables as built.</summary>
    TableRows Tables { get; }

    /// <summary>Trainable scalars of the whole model (tables, weights, biases).</summary>
    long ParameterCount { get; }

    /// <summary>The phases of one training epoch, in order (built once per training call; they may keep samplers).</summary>
    IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options);

    /// <summary>The parameter groups the phases step (default: every parameter in one group at the trainer's learning rate).</summary>
    IReadOnlyList<ParameterGroup> ParameterGroups(TrainerOptions options);

    /// <summary>State of the model's own training-time random generator (dropout) for checkpoints, or null when it draws none.</summary>
    byte[]? SaveRandomState();

    /// <summary>Restores a state from <see cref="SaveRandomState"/>.</summary>
    void RestoreRandomState(byte[] state);

    /// <summary>What the model has learned, copied out of TorchSharp (no grad, eval mode).</summary>
    ModelSnapshot Snapshot();
}

/// <summary>Row-major final embeddings: users [NumUsers, Dim], items [NumItems, Dim]; score(u, i) = users[u] · items[i].</summary>
public sealed record ModelEmbeddings(float[] Users, float[] Items, int Dim)
{
    public int NumUsers => Users.Length / Dim;
    public int NumItems => Items.Length / Dim;
}
