using System.Text.Json.Serialization;
using Recsys.Tables;

namespace Recsys.Models;

/// <summary>
/// What to build: the model kind with its hyperparameters and embedding tables. Plain data (written to run.json under
/// the "model" discriminator of its registered <see cref="Catalog.ModelKind"/> and read back on resume);
/// <see cref="Create"/> builds the module. Initial weights (and any dropout randomness) come from generators seeded by
/// the <c>seed</c> passed to <see cref="Create"/>, never from torch's global generator, so concurrent runs stay
/// reproducible. A new model kind derives a sealed record from this one in its own folder and registers it.
/// </summary>
public abstract record ModelOptions
{
    /// <summary>Embedding width of the layer-0 tables.</summary>
    public int Dim { get; init; } = 64;
    public EmbeddingTableSpec UserTable { get; init; } = new FullTableSpec();
    public EmbeddingTableSpec ItemTable { get; init; } = new FullTableSpec();

    /// <summary>Model name as registered (and on the command line).</summary>
    [JsonIgnore] public abstract string Kind { get; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public virtual void Validate()
    {
        if (Dim < 1) throw new ArgumentOutOfRangeException(nameof(Dim), Dim, "must be at least 1.");
        ArgumentNullException.ThrowIfNull(UserTable, nameof(UserTable));
        ArgumentNullException.ThrowIfNull(ItemTable, nameof(ItemTable));
    }

    /// <summary>
    /// Builds the model over <paramref name="inputs"/> (graph models build Â from the training matrix, KGAT its
    /// collaborative knowledge graph, tables their id → row maps), weights seeded by <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The inputs lack something the model needs (e.g. a knowledge graph).</exception>
    public abstract IRecommenderModel Create(ModelInputs inputs, ulong seed);
}
