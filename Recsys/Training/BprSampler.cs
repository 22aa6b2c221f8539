using Recsys.Data;

namespace Recsys.Training;

/// <summary>
/// BPR triple sampler. One epoch visits every training (user, positive) pair once in a random order and draws
/// <c>negatives</c> items per pair uniformly from the pool (all items, or only items with a training interaction:
/// <see cref="NegativePool"/>), rejecting the user's training positives
/// (Rendle et al. 2009; the "one pass over the interactions" epoch of the LightGCN/NGCF code).
/// All randomness comes from one <see cref="Xoshiro256"/>, so an epoch is a pure function of the state at its start.
/// </summary>
public sealed class BprSampler
{
    private readonly InteractionMatrix _r;
    private readonly int _negatives;
    private readonly int[] _pairUser;
    private readonly int[]? _pool;   // null = all items
    private readonly PairSampling _sampling;

    public BprSampler(InteractionMatrix train, int negatives, NegativePool pool = NegativePool.AllItems, PairSampling sampling = PairSampling.Interactions)
    {
        _sampling = sampling;
        ArgumentOutOfRangeException.ThrowIfLessThan(negatives, 1, nameof(negatives));
        if (train.NonZeros == 0) throw new ArgumentException("the training matrix has no interactions.");
        _r = train; _negatives = negatives;
        // Pair k (position in the CSR) belongs to the user whose row holds k.
        _pairUser = new int[train.NonZeros];
        for (int u = 0; u < train.NumUsers; u++)
            for (int k = train.RowPtr[u]; k < train.RowPtr[u + 1]; k++) _pairUser[k] = u;
        if (pool == NegativePool.TrainedItems)
        {
            var degree = train.ItemDegrees();
            _pool = Enumerable.Range(0, train.NumItems).Where(i => degree[i] > 0).ToArray();
        }
    }

    public int Negatives => _negatives;

    /// <summary>Number of (user, positive) pairs per epoch.</summary>
    public int PairsPerEpoch => _r.NonZeros;

    /// <summary>
    /// Samples one epoch: users [n], positives [n], negatives [n * Negatives] (row-major per pair),
    /// n = <see cref="PairsPerEpoch"/> (fewer with <see cref="PairSampling.Users"/> when some users have no training
    /// items). Advances <paramref name="rng"/>.
    /// </summary>
    public EpochSamples SampleEpoch(ref Xoshiro256 rng)
    {
        int n = _r.NonZeros, items = _pool?.Length ?? _r.NumItems;
        var order = _sampling == PairSampling.Users ? UserDraws(ref rng) : Shuffled(n, ref rng);
        n = order.Length;
        var users = new int[n];
        var pos = new int[n];
        var neg = new int[(long)n * _negatives];
        for (int i = 0; i < n; i++)
        {
            int k = order[i], u = _pairUser[k];
            users[i] = u; pos[i] = _r.ColIdx[k];
            var seen = _r.ItemsOf(u);
            if (seen.Length >= items) throw new InvalidOperationException($"user {u} has interacted with every item; no negative exists.");
            for (int j = 0; j < _negatives; j++)
            {
                int cand;
                do cand = _pool is null ? rng.NextInt(items) : _pool[rng.NextInt(items)]; while (seen.BinarySearch(cand) >= 0);
                neg[(long)i * _negatives + j] = cand;
            }
        }
        return new EpochSamples(users, pos, neg, _negatives);
    }

    /// <summary>Every pair position once, in a random order (Fisher–Yates).</summary>
    private static int[] Shuffled(int n, ref Xoshiro256 rng)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>NonZeros draws of a uniform user, each kept (as one of its pair positions, uniformly) when the user has training items.</summary>
    private int[] UserDraws(ref Xoshiro256 rng)
    {
        var order = new List<int>(_r.NonZeros);
        for (int i = 0; i < _r.NonZeros; i++)
        {
            int u = rng.NextInt(_r.NumUsers), deg = _r.UserDegree(u);
            if (deg > 0) order.Add(_r.RowPtr[u] + rng.NextInt(deg));
        }
        return order.ToArray();
    }
}

/// <summary>One epoch of BPR triples; <see cref="Negatives"/> holds Count × NegativesPerPair items, pair-major.</summary>
public sealed record EpochSamples(int[] Users, int[] Positives, int[] Negatives, int NegativesPerPair)
{
    public int Count => Users.Length;
}
