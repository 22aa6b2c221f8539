using Recsys.Models.Propagation;
using Recsys.Tables;

namespace Recsys.Models;

/// <summary>How a KGAT layer combines a node's embedding e with its attention-weighted neighbourhood e_N (Wang et al. KDD 2019, §3.2.2).</summary>
public enum KgatAggregator
{
    /// <summary>LeakyReLU(W1 (e + e_N)) + LeakyReLU(W2 (e ⊙ e_N)) — the paper's default.</summary>
    BiInteraction,
    /// <summary>LeakyReLU(W (e + e_N)).</summary>
    Gcn,
    /// <summary>LeakyReLU(W [e ‖ e_N]).</summary>
    GraphSage,
}

/// <summary>
/// KGAT (Wang et al., KDD 2019) on the collaborative knowledge graph (users, items and KG entities; interact
/// relation plus KG relations, with inverses). Defaults follow the paper and KGAT-pytorch: entity and relation dim 64,
/// layers [64, 32, 16], bi-interaction aggregator, message dropout 0.1, LeakyReLU slope 0.01, Xavier init,
/// TransR batch 2048 with L2 1e-5. Needs the dataset's knowledge graph (<see cref="ModelInputs.Knowledge"/>).
/// </summary>
public sealed record KgatOptions : ModelOptions
{
    public KgatOptions()
    {
        UserTable = new FullTableSpec(TableInit.XavierUniform);
        ItemTable = new FullTableSpec(TableInit.XavierUniform);
    }

    /// <summary>Width of the relation space of TransR (W_r maps entity dim → RelationDim).</summary>
    public int RelationDim { get; init; } = 64;
    /// <summary>Output width of each propagation layer (its count is the number of layers).</summary>
    public int[] LayerDims { get; init; } = [64, 32, 16];
    public KgatAggregator Aggregator { get; init; } = KgatAggregator.BiInteraction;
    /// <summary>Dropout on each layer's output embeddings.</summary>
    public double MessageDropout { get; init; } = 0.1;
    public double LeakySlope { get; init; } = 0.01;
    /// <summary>Triples per TransR batch; an epoch's TransR phase has (triples / batch + 1) batches, as KGAT-pytorch.</summary>
    public int KgBatchSize { get; init; } = 2048;
    /// <summary>L2 weight of the TransR loss (on W_r e_h, e_r, W_r e_t⁺, W_r e_t⁻).</summary>
    public double KgReg { get; init; } = 1e-5;
    /// <summary>Train the TransR phase after each epoch's BPR batches (false = CF only, the paper's "w/o KGE" ablation).</summary>
    public bool TrainTransR { get; init; } = true;
    /// <summary>Relation-aware attention, refreshed each epoch (false = uniform 1/|N_h|, the "w/o Att" ablation).</summary>
    public bool UseAttention { get; init; } = true;
    /// <summary>Run folder (of an mf run) whose user and item embeddings initialise the user and item rows; null = random.</summary>
    public string? Pretrain { get; init; }
    public PropagationBackend Propagation { get; init; } = PropagationBackend.Auto;
    /// <summary>Layer-0 rows of items without training interactions: their own (paper) or from KG-neighbouring items.</summary>
    public KgatColdItems ColdItems { get; init; } = KgatColdItems.Own;

    public override string Kind => "kgat";

    public override void Validate()
    {
        base.Validate();
        if (RelationDim < 1) throw new ArgumentOutOfRangeException(nameof(RelationDim), RelationDim, "must be at least 1.");
        ArgumentNullException.ThrowIfNull(LayerDims, nameof(LayerDims));
        if (LayerDims.Any(d => d < 1)) throw new ArgumentOutOfRangeException(nameof(LayerDims), "every layer needs width ≥ 1.");
        if (MessageDropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MessageDropout), MessageDropout, "must be in [0, 1).");
        if (KgBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(KgBatchSize), KgBatchSize, "must be at least 1.");
        if (KgReg < 0) throw new ArgumentOutOfRangeException(nameof(KgReg), KgReg, "must be ≥ 0.");
        if (Pretrain is not null && (UserTable is not FullTableSpec || ItemTable is not FullTableSpec))
            throw new ArgumentOutOfRangeException(nameof(Pretrain), "pretrained embeddings need full user and item tables.");
    }

    /// <summary>Why KGAT cannot train on data without a knowledge graph.</summary>
    public const string NeedsKnowledgeGraph = "kgat needs a knowledge graph, and this dataset has none (no kg.arrow); import a dataset with its knowledge graph (the kgat or kgcn importers) or generate synthetic data with a KG.";

    /// <exception cref="InvalidDataException">The inputs have no knowledge graph.</exception>
    public override IRecommenderModel Create(ModelInputs inputs, ulong seed)
    {
        Validate();
        if (inputs.Knowledge is null) throw new InvalidDataException(NeedsKnowledgeGraph);
        return new Kgat(this, inputs, seed);
    }
}
