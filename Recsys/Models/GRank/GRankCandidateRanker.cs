using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The GRank ranker for serving (<see cref="ICandidateRanker"/>): CPU copies of the ranker, the generator (its
/// <see cref="GRankEncoder"/>) and the shared item table, with every item's cross-attention query Wq·e precomputed.
/// A candidate's score is the generator's (query token · e_c) plus the ranker's cross-attention score, so a request
/// costs one generator pass (none when the first stage's scores are passed in), one pass over the user's last RankerLength items and [candidates × Dim] products. Each call runs under its own
/// <c>no_grad</c> and dispose scope and only reads these tensors, so calls may run concurrently. An empty history
/// leaves only the learned null key (every user without history gets the same scores); an empty candidate set gets
/// an empty answer.
/// </summary>
public sealed class GRankCandidateRanker : ICandidateRanker, IDisposable
{
    private readonly GRankRanker _ranker;
    private readonly GRankEncoder _encoder;
    private readonly Tensor _table, _items, _queries, _bias;
    private readonly SequenceItems _rows;
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
        using (var scope = NewDisposeScope())
            _table = generator.ItemRows.Padded().detach().cpu().clone().DetachFromDisposeScope();
        _items = _table.narrow(0, 1, numItems);
        _rows = SequenceItems.OverPadded(() => _table);
        _queries = _ranker.Queries(_items).detach();
        _bias = _ranker.ItemBias.detach();
    }

    public int Candidates { get; }

    /// <summary>One user's scores: a batch of one (<see cref="ScoreBatch(IReadOnlyList{int}, IReadOnlyList{int[]}, IReadOnlyList{int[]})"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A history item or a candidate is outside 0..NumItems − 1.</exception>
    public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates) =>
        candidates.IsEmpty ? [] : ScoreBatch([user], [history.ToArray()], [candidates.ToArray()])[0];

    /// <summary>One user's scores with the generator's term taken from the first stage's scores (a batch of one).</summary>
    public float[] Score(int user, ReadOnlySpan<int> history, ReadOnlySpan<int> candidates, ReadOnlySpan<float> firstStage) =>
        candidates.IsEmpty ? [] : ScoreBatch([user], [history.ToArray()], [candidates.ToArray()], [firstStage.ToArray()])[0];

    /// <summary>
    /// Every user's scores in one pass per chunk of users (histories left-padded to the chunk's longest, candidates
    /// padded to its longest list), chunks sized so the attention weights stay near <see cref="ChunkFloats"/> floats;
    /// the scores equal <see cref="Score(int, ReadOnlySpan{int}, ReadOnlySpan{int})"/>'s up to float rounding.
    /// </summary>
    public float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates) =>
        ScoreChunks(users, histories, candidates, null);

    /// <summary>
    /// <see cref="ScoreBatch(IReadOnlyList{int}, IReadOnlyList{int[]}, IReadOnlyList{int[]})"/> with the generator's
    /// term taken from the first stage's scores (the same query · e_c, computed by the MIPS index), so the history is
    /// encoded once per request instead of twice.
    /// </summary>
    /// <exception cref="ArgumentException">A row of <paramref name="firstStage"/> is not as long as its candidate list.</exception>
    public float[][] ScoreBatch(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates, IReadOnlyList<float[]> firstStage)
    {
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(candidates);
        if (firstStage.Count != candidates.Count) throw new ArgumentException("one row of first-stage scores per user.", nameof(firstStage));
        for (int q = 0; q < candidates.Count; q++)
            if (firstStage[q].Length != candidates[q].Length)
                throw new ArgumentException($"row {q}: {firstStage[q].Length} first-stage scores for {candidates[q].Length} candidates.", nameof(firstStage));
        return ScoreChunks(users, histories, candidates, firstStage);
    }

    private float[][] ScoreChunks(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, IReadOnlyList<int[]> candidates, IReadOnlyList<float[]>? firstStage)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(candidates);
        if (histories.Count != users.Count || candidates.Count != users.Count)
            throw new ArgumentException("one history and one candidate list per user.", nameof(candidates));
        foreach (var list in candidates)
            foreach (var c in list)
                if ((uint)c >= (uint)_numItems) throw new ArgumentOutOfRangeException(nameof(candidates), c, $"candidate {c} is outside 0..{_numItems - 1}.");
        var result = new float[users.Count][];
        var queries = firstStage is null ? _encoder.Encode(histories) : null;
        int dim = _encoder.Dim;
        for (int start = 0; start < users.Count;)
        {
            int n = 0, t = 1, width = 1;
            while (start + n < users.Count)
            {
                int nt = Math.Max(t, Math.Min(_length, histories[start + n].Length)), nw = Math.Max(width, candidates[start + n].Length);
                if (n > 0 && (long)(n + 1) * nw * (nt + 1) > ChunkFloats) break;
                t = nt; width = nw; n++;
            }
            var rows = ServingCopy.LeftPadded(histories, start, n, t, _numItems, nameof(histories));
            var ids = new long[n * width];
            var given = firstStage is null ? null : new float[n * width];
            for (int q = 0; q < n; q++)
            {
                var list = candidates[start + q];
                for (int j = 0; j < list.Length; j++) ids[q * width + j] = list[j];
                firstStage?[start + q].CopyTo(given!, q * width);
            }
            float[] flat;
            using (var quiet = Recsys.Training.GcQuiet.Enter())
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var (k, u, mask) = _ranker.Memory(_rows, tensor(rows, [n, t]));
                var c = tensor(ids, [n, width]).flatten();
                var e = _items.index_select(0, c).view(n, width, dim);
                var generatorTerm = given is not null ? tensor(given, [n, width])
                    : e.bmm(tensor(queries!.AsSpan(start * dim, n * dim).ToArray(), [n, dim, 1])).squeeze(-1);
                var s = GRankRanker.Score(_queries.index_select(0, c).view(n, width, dim), e, _bias.index_select(0, c).view(n, width), k, u, mask)
                        + generatorTerm;
                flat = s.contiguous().data<float>().ToArray();
            }
            for (int q = 0; q < n; q++) result[start + q] = flat.AsSpan(q * width, candidates[start + q].Length).ToArray();
            start += n;
        }
        return result;
    }

    /// <summary>Attention weights (users × candidates × history slots) one <see cref="ScoreBatch(IReadOnlyList{int}, IReadOnlyList{int[]}, IReadOnlyList{int[]})"/> pass may hold: 32 MB of floats.</summary>
    public const long ChunkFloats = 8L << 20;

    public void Dispose()
    {
        _queries.Dispose(); _table.Dispose(); _ranker.Dispose(); _encoder.Dispose();
    }
}
