namespace Recsys.Eval;

/// <summary>Which held-out split a full-ranking evaluation scores.</summary>
public enum EvalSplit
{
    /// <summary>The test split; training and validation items are excluded from the ranking.</summary>
    Test,
    /// <summary>The validation split; training items are excluded.</summary>
    Valid,
}

/// <summary>Options of <see cref="FullRankingEvaluator"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Cut-offs; every metric is reported at each (the top max(K) list is computed once).</summary>
    public IReadOnlyList<int> Ks { get; init; } = [20];

    /// <summary>Also report the NGCF/KGAT-code NDCG as "ndcg_legacy@K".</summary>
    public bool LegacyNdcg { get; init; }

    public EvalSplit Split { get; init; } = EvalSplit.Test;

    /// <summary>Slice of the held-out items scored (e.g. only items absent from training); the ranking still covers every item.</summary>
    public HeldOutItems Items { get; init; } = HeldOutItems.All;

    /// <summary>
    /// Also report <c>cold_share@K</c> for each K: the share of a user's top-K list held by items without training
    /// interactions (how often a model recommends items it never saw), averaged over the evaluated users. Reported only
    /// where the training split leaves some item without interactions (e.g. a <c>--cold-items</c> split); the
    /// ranking and the other metrics do not change.
    /// </summary>
    public bool ColdShare { get; init; }

    /// <summary>Users per block sent to the MIPS index (bounds memory: block × max(K) results).</summary>
    public int BlockSize { get; init; } = 2048;

    /// <summary>Upper bound on the dense score block of the <see cref="IUserScorer"/> path, in floats (default 32 Mi = 128 MiB).</summary>
    public long MaxScoreBlockFloats { get; init; } = 1L << 25;

    public int MaxK => Ks.Max();

    public void Validate()
    {
        if (Ks is null || Ks.Count == 0) throw new ArgumentOutOfRangeException(nameof(Ks), "at least one K is needed.");
        foreach (var k in Ks)
            if (k < 1) throw new ArgumentOutOfRangeException(nameof(Ks), $"K must be ≥ 1, got {k}.");
        if (BlockSize < 1) throw new ArgumentOutOfRangeException(nameof(BlockSize), $"must be ≥ 1, got {BlockSize}.");
        if (MaxScoreBlockFloats < 1 || MaxScoreBlockFloats > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxScoreBlockFloats), $"must be in 1..{Array.MaxLength}, got {MaxScoreBlockFloats}.");
    }
}

/// <summary>Progress of an evaluation: users ranked so far out of all evaluated users.</summary>
public readonly record struct EvaluationProgress(int UsersDone, int UsersTotal);
