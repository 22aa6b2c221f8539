using Recsys.Embeddings.FastRp;
using Recsys.Eval.Baselines;

namespace Recsys.Eval;

/// <summary>Training-free baselines the evaluator can score directly.</summary>
public enum BaselineModel
{
    /// <summary><see cref="MostPopular"/>.</summary>
    Popularity,
    /// <summary><see cref="ItemKnn"/>.</summary>
    ItemKnn,
    /// <summary>FastRP embeddings of the user-item training graph, score = user · item (no training; <see cref="EvalRequest.FastRp"/>).</summary>
    FastRp,
}

/// <summary>
/// What <c>recsys eval</c> evaluates: a dataset folder and exactly one model source — a pair of embedding files
/// or a training-free baseline.
/// </summary>
public sealed record EvalRequest
{
    /// <summary>Dataset folder (dataset.json + Arrow files).</summary>
    public required string DataFolder { get; init; }

    /// <summary>User embedding file (.arrow or .npy), [NumUsers, d]; given together with <see cref="ItemEmbeddings"/>.</summary>
    public string? UserEmbeddings { get; init; }

    /// <summary>Item embedding file (.arrow or .npy), [NumItems, d].</summary>
    public string? ItemEmbeddings { get; init; }

    /// <summary>A baseline instead of embedding files.</summary>
    public BaselineModel? Model { get; init; }

    /// <summary>A run folder written by <c>recsys train</c> (its user_embeddings.arrow + item_embeddings.arrow).</summary>
    public string? Run { get; init; }

    public EvaluationOptions Options { get; init; } = new();

    /// <summary>For a run whose model has a second-stage ranker (GRank): score the first stage's list alone (the generator's MIPS ranking).</summary>
    public bool FirstStageOnly { get; init; }

    /// <summary>For a run whose model has a second stage: candidates the first stage hands it, instead of the model's own count (the N ablation).</summary>
    public int? Candidates { get; init; }

    /// <summary>
    /// For a generative run over semantic IDs (TIGER): the largest share of each list given to items without training
    /// interactions that share a generated item's code prefix (TIGER's ε; see Models.ColdItemSlots); null: none.
    /// </summary>
    public double? ColdSlots { get; init; }

    /// <summary>For a run that decodes by beam search (TIGER): the beam width to decode with instead of the run's (null: the run's).</summary>
    public int? Beam { get; init; }

    /// <summary>The MIPS index that ranks items for embedding models and FastRP / popularity (exact CPU kernel by default).</summary>
    public Recsys.Retrieval.Mips.MipsIndexChoice Index { get; init; } = new();
    public ItemKnnOptions ItemKnn { get; init; } = new();

    /// <summary>Settings of the <see cref="BaselineModel.FastRp"/> recommender.</summary>
    public FastRpOptions FastRp { get; init; } = new();

    /// <summary>FastRP recommender: embed the collaborative knowledge graph (needs a dataset with a KG) instead of the user-item graph.</summary>
    public bool FastRpOnKnowledgeGraph { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataFolder)) throw new ArgumentOutOfRangeException(nameof(DataFolder), "a dataset folder is required.");
        bool files = UserEmbeddings is not null || ItemEmbeddings is not null;
        if (files && (UserEmbeddings is null || ItemEmbeddings is null))
            throw new ArgumentOutOfRangeException(UserEmbeddings is null ? nameof(UserEmbeddings) : nameof(ItemEmbeddings),
                "user and item embeddings must be given together.");
        int sources = (files ? 1 : 0) + (Model.HasValue ? 1 : 0) + (Run is not null ? 1 : 0);
        if (sources != 1)
            throw new ArgumentOutOfRangeException(nameof(Model), "give exactly one of: a run folder, user + item embedding files, or a baseline model.");
        if (FirstStageOnly && Run is null) throw new ArgumentOutOfRangeException(nameof(FirstStageOnly), "the first stage alone can only be scored for a run folder.");
        if (Candidates is { } n)
        {
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(Candidates), n, "must be ≥ 1.");
            if (Run is null) throw new ArgumentOutOfRangeException(nameof(Candidates), n, "a candidate count applies to a run folder with a second stage.");
            if (FirstStageOnly) throw new ArgumentOutOfRangeException(nameof(Candidates), n, "the first stage alone has no candidate count (it ranks every item); drop one of the two.");
        }
        if (ColdSlots is { } e)
        {
            if (!(e >= 0 && e <= 1)) throw new ArgumentOutOfRangeException(nameof(ColdSlots), e, "must be in [0, 1].");
            if (Run is null) throw new ArgumentOutOfRangeException(nameof(ColdSlots), e, "cold-item slots apply to a run folder of a generative model (tiger).");
        }
        if (Beam is { } b)
        {
            if (b < 1) throw new ArgumentOutOfRangeException(nameof(Beam), b, "must be ≥ 1.");
            if (Run is null) throw new ArgumentOutOfRangeException(nameof(Beam), b, "a beam width applies to a run folder of a model that decodes by beam search (tiger).");
        }
        Options.Validate();
        Index.Validate();
        ItemKnn.Validate();
        FastRp.Validate();
    }
}
