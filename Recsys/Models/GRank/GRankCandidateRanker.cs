using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The GRank ranker for serving (<see cref="ICandidateRanker"/>): CPU copies of the ranker, the generator (its
/// <see cref="GRankEncoder"/>) and the shared item table, with every item's cross-attention query Wq·e precomputed.
/// A candidate's score is the generator's (query token · e_c) plus the ranker's cross-attention score, so a request
/// costs one generator pass, one pass over the user's last RankerLength items and [candidates × Dim] products. Each call runs under its own
/// <c>no_grad</c> and dispose scope and only reads these tensors, so calls may run concurrently. An empty history
/// leaves only the learned null key (every user without history gets the same scores); an empty candidate set gets
/// an empty answer.
/// </summary>
public sealed class GRankCandidateRanker : ICandidateRanker, IDisposable
{
    private readonly GRankRanker _ranker;
    private readonly GRankEncoder _encoder;
    private readonly Tensor _table, _items, _queries, _bias;
    private readonly int _numItems, _length;

    /// <summary>Copies the item table of <paramref name="generator"/> and the weights of <paramref name="source"/> to CPU. Call it outside any dispose scope.</summary>
    public GRankCandidateRanker(GRankOptions options, int numItems, GRankGenerator generator, GRankRanker source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(source);
        _numItems = numItems; _length = options.RankerLength;
        Candidates = options.CandidatesFor(numItems);
        _encoder = new GRankEncoder(options, numItems, generator);
        _ranker = new GRankRanker(options, numItems, seed: 0);
        ServingCopy.Weights(source, _ranker);
        using var _ = no_grad();
        _table = generator.ItemTable.detach().cpu().clone();
        _items = _table.narrow(0, 1, numItems);
        _queries = _ranker.Queries(_items).detach();
        _bias = _ranker.ItemBias.detach();
    }

    public int Candidates { get; }

    /// <exception cref="ArgumentOutOfRangeException">A history item or a candidate is outside 0..NumItems − 1.</exception>
    public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates)
    {
        if (candidates.IsEmpty) return [];
        var ids = new long[candidates.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = (uint)candidates[i] < (uint)_numItems ? candidates[i]
                : throw new ArgumentOutOfRangeException(nameof(candidates), candidates[i], $"candidate {candidates[i]} is outside 0..{_numItems - 1}.");
        int t = Math.Max(1, Math.Min(_length, history.Length));
        var h = history.ToArray();
        var rows = ServingCopy.LeftPadded([h], 0, 1, t, _numItems, nameof(history));
        var query = _encoder.Encode([h]);
        // TorchSharp's temporary Scalars may be finalized mid-call by a GC on another thread (see GcQuiet).
        using var quiet = Recsys.Training.GcQuiet.Enter();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (k, u, mask) = _ranker.Memory(_table, tensor(rows, [1, t]));
        var c = tensor(ids);
        var e = _items.index_select(0, c);
        var s = GRankRanker.Score(_queries.index_select(0, c), e, _bias.index_select(0, c), k, u, mask)
                + tensor(query, [1, query.Length]).matmul(e.t());                    // the generator's score, corrected

        return s.contiguous().data<float>().ToArray();
    }

    public void Dispose()
    {
        _queries.Dispose(); _table.Dispose(); _ranker.Dispose(); _encoder.Dispose();
    }
}
