using System.Text.Json.Serialization;
using Recsys.Data;
using Recsys.Models.Propagation;
using Recsys.Tables;

namespace Recsys.Models;

/// <summary>
/// What to build: the model kind with its hyperparameters and embedding tables. Plain data (written to
/// run.json with the "model" discriminator and read back on resume); <c>Create</c> builds the module.
/// Initial weights (and any dropout randomness) come from generators seeded by the <c>seed</c> passed to
/// <c>Create</c>, never from torch's global generator, so concurrent runs stay reproducible.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "model")]
[JsonDerivedType(typeof(MfOptions), "mf")]
[JsonDerivedType(typeof(LightGcnOptions), "lightgcn")]
[JsonDerivedType(typeof(NgcfOptions), "ngcf")]
[JsonDerivedType(typeof(KgatOptions), "kgat")]
public abstract record ModelOptions
{
    /// <summary>Embedding width of the layer-0 tables.</summary>
    public int Dim { get; init; } = 64;
    public EmbeddingTableSpec UserTable { get; init; } = new FullTableSpec();
    public EmbeddingTableSpec ItemTable { get; init; } = new FullTableSpec();

    /// <summary>Model name as on the command line.</summary>
    [JsonIgnore] public abstract string Kind { get; }

    public virtual void Validate()
    {
        if (Dim < 1) throw new ArgumentOutOfRangeException(nameof(Dim), Dim, "must be at least 1.");
        ArgumentNullException.ThrowIfNull(UserTable, nameof(UserTable));
        ArgumentNullException.ThrowIfNull(ItemTable, nameof(ItemTable));
    }

    /// <summary>
    /// Builds the model for the training interactions <paramref name="train"/> (graph models build Â from it, hashed
    /// tables their id → row maps), weights seeded by <paramref name="seed"/>; <paramref name="graph"/> serves tables
    /// that need clustering or side features (GraphHash, LSH).
    /// </summary>
    public abstract IRecommenderModel Create(InteractionMatrix train, ulong seed, ITableGraphSource? graph = null);

    /// <summary>
    /// Builds the model for <paramref name="train"/> and, for models that use one (KGAT), the item knowledge graph
    /// <paramref name="knowledge"/> (null when the data has none). Other models ignore it.
    /// </summary>
    public virtual IRecommenderModel Create(InteractionMatrix train, KnowledgeTriples? knowledge, ulong seed, ITableGraphSource? graph = null) => Create(train, seed, graph);

    /// <summary>Default options for a command-line model name: "mf", "lightgcn", "ngcf" or "kgat".</summary>
    public static ModelOptions ForKind(string kind) => kind.ToLowerInvariant() switch
    {
        "mf" or "mf-bpr" or "bpr" => new MfOptions(),
        "lightgcn" => new LightGcnOptions(),
        "ngcf" => new NgcfOptions(),
        "kgat" => new KgatOptions(),
        _ => throw new ArgumentOutOfRangeException("model", kind, "expected mf, lightgcn, ngcf or kgat."),
    };
}

/// <summary>Matrix factorisation trained with BPR (Rendle et al. 2009): score = uᵀi over the table rows.</summary>
public sealed record MfOptions : ModelOptions
{
    public override string Kind => "mf";
    public override IRecommenderModel Create(InteractionMatrix train, ulong seed, ITableGraphSource? graph = null) { Validate(); return new MatrixFactorization(this, train, seed, graph); }
}

/// <summary>LightGCN (He et al., SIGIR 2020) — paper defaults: 3 layers, dim 64.</summary>
public sealed record LightGcnOptions : ModelOptions
{
    public int Layers { get; init; } = 3;
    public PropagationBackend Propagation { get; init; } = PropagationBackend.Auto;
    public override string Kind => "lightgcn";

    public override void Validate()
    {
        base.Validate();
        if (Layers < 0) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "must be at least 0.");
    }

    public override IRecommenderModel Create(InteractionMatrix train, ulong seed, ITableGraphSource? graph = null) { Validate(); return new LightGcn(this, train, seed, graph); }
}

/// <summary>NGCF (Wang et al., SIGIR 2019) — paper defaults: layers [64, 64, 64], node and message dropout 0.1, Xavier init.</summary>
public sealed record NgcfOptions : ModelOptions
{
    public NgcfOptions()
    {
        UserTable = new FullTableSpec(TableInit.XavierUniform);
        ItemTable = new FullTableSpec(TableInit.XavierUniform);
    }

    /// <summary>Output width of each propagation layer (its count is the number of layers).</summary>
    public int[] LayerDims { get; init; } = [64, 64, 64];
    /// <summary>Probability of dropping each entry of Â per step (the official code's "node dropout").</summary>
    public double NodeDropout { get; init; } = 0.1;
    /// <summary>Dropout on each layer's output embeddings.</summary>
    public double MessageDropout { get; init; } = 0.1;
    public double LeakySlope { get; init; } = 0.2;
    /// <summary>The paper's layer (default) or the authors' code's (<see cref="NgcfVariant"/>).</summary>
    public NgcfVariant Variant { get; init; } = NgcfVariant.Paper;
    public PropagationBackend Propagation { get; init; } = PropagationBackend.Auto;
    public override string Kind => "ngcf";

    public override void Validate()
    {
        base.Validate();
        ArgumentNullException.ThrowIfNull(LayerDims, nameof(LayerDims));
        if (LayerDims.Any(d => d < 1)) throw new ArgumentOutOfRangeException(nameof(LayerDims), "every layer needs width ≥ 1.");
        if (NodeDropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(NodeDropout), NodeDropout, "must be in [0, 1).");
        if (MessageDropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MessageDropout), MessageDropout, "must be in [0, 1).");
    }

    public override IRecommenderModel Create(InteractionMatrix train, ulong seed, ITableGraphSource? graph = null) { Validate(); return new Ngcf(this, train, seed, graph); }
}
