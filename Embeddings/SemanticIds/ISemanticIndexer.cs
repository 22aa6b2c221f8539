using Recsys.Data.SemanticIds;

namespace Recsys.Embeddings.SemanticIds;

/// <summary>
/// Gives every item of a catalog a semantic ID: <see cref="SemanticIndexSettings.Levels"/> codes in
/// [0, <see cref="SemanticIndexSettings.Codes"/>) plus the disambiguation column of <see cref="SemanticIdCodes"/>.
/// Implementations are registered as <see cref="SemanticIndexerKind"/>s; a front end never switches on their names.
/// </summary>
public interface ISemanticIndexer
{
    /// <summary>The method's name, written to the codes file ("rqvae", "rqkmeans", …).</summary>
    string Method { get; }

    /// <summary>Indexes the items of <paramref name="input"/>; progress (epochs, stages) goes to <paramref name="progress"/>.</summary>
    /// <exception cref="ArgumentException">The input lacks what the method needs (features, histories, attributes), or the settings do not fit it.</exception>
    SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default);
}

/// <summary>One progress report of an indexer: a stage name, and for trained methods the epoch and its losses.</summary>
public sealed record SemanticIndexProgress(string Stage, int Epoch = 0, int Epochs = 0, EpochLoss? Loss = null);

/// <summary>Mean losses of one training epoch (RQ-VAE): total, reconstruction, and the summed quantisation terms.</summary>
public sealed record EpochLoss(int Epoch, double Total, double Reconstruction, double Quantization, double Seconds);

/// <summary>
/// What an indexer produced: the codes, and what it knows about their quality. <see cref="ReconstructionError"/> is the
/// mean squared error per input dimension of the decoded (RQ-VAE) or summed-codeword (RQ-KMeans) reconstruction of the
/// standardised features; null for schemes that do not reconstruct anything.
/// </summary>
public sealed record SemanticIndexResult(SemanticIdCodes Codes, double Seconds)
{
    public double? ReconstructionError { get; init; }
    /// <summary>Per-epoch losses of a trained indexer, empty otherwise.</summary>
    public IReadOnlyList<EpochLoss> Losses { get; init; } = [];
    /// <summary>Codewords re-seeded because no item used them (RQ-VAE), summed over training.</summary>
    public int ReseededCodes { get; init; }
}
