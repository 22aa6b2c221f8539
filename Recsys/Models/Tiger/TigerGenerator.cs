using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// TIGER's serving side (<see cref="IItemGenerator"/>): its own CPU copy of a <see cref="TigerNetwork"/> (eval mode,
/// no dropout) and the catalog's <see cref="CodeTrie"/>. Histories are sorted by length and encoded in chunks; each
/// chunk runs one batched <see cref="ConstrainedBeamSearch"/> whose decoder steps attend to the chunk's encoded
/// histories once per step for all beams. Scores are sequence log-probabilities. Calls are serialised by a lock
/// (thread-safe, not concurrent).
/// </summary>
public sealed class TigerGenerator : IItemGenerator, IDisposable
{
    private const int Chunk = 128;
    private readonly TigerNetwork _network;
    private readonly TigerTokens _tokens;
    private readonly CodeTrie _trie;
    private readonly object _lock = new();

    /// <summary>
    /// Copies <paramref name="source"/>'s weights (from any device) into a fresh CPU copy. Call it outside any dispose
    /// scope, or the copy's parameters are disposed with the scope.
    /// </summary>
    public TigerGenerator(TigerOptions options, TigerTokens tokens, CodeTrie trie, TigerNetwork source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _trie = trie ?? throw new ArgumentNullException(nameof(trie));
        Beam = options.Beam;
        _network = new TigerNetwork(options, tokens, seed: 0);
        ServingCopy.Weights(source, _network);
    }

    public int Beam { get; }

    public (int[] Ids, float[] Scores) Generate(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, int k, IReadOnlyList<int[]>? exclude)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        if (histories.Count != users.Count) throw new ArgumentException($"{histories.Count} histories for {users.Count} users.", nameof(histories));
        if (exclude is not null && exclude.Count != users.Count) throw new ArgumentException($"{exclude.Count} exclusion lists for {users.Count} users.", nameof(exclude));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        int n = users.Count;
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        // Similar lengths in one chunk: the encoder pads to the chunk's longest history.
        var order = Enumerable.Range(0, n).OrderBy(q => Math.Min(_tokens.MaxItems, histories[q].Length)).ThenBy(q => q).ToArray();
        lock (_lock)
        {
            for (int start = 0; start < n; start += Chunk)
            {
                int m = Math.Min(Chunk, n - start);
                var part = order.AsSpan(start, m).ToArray();
                var (partIds, partScores) = GenerateChunk(part.Select(q => users[q]).ToArray(), part.Select(q => histories[q]).ToArray(),
                    k, exclude is null ? null : part.Select(q => exclude[q]).ToArray());
                for (int j = 0; j < m; j++)
                {
                    Array.Copy(partIds, (long)j * k, ids, (long)part[j] * k, k);
                    Array.Copy(partScores, (long)j * k, scores, (long)part[j] * k, k);
                }
            }
        }
        return (ids, scores);
    }

    private (int[], float[]) GenerateChunk(int[] users, int[][] histories, int k, int[][]? exclude)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (rows, s) = _tokens.Source(users, histories, 0, users.Length, nameof(histories));
        var (memory, padding) = _network.Encode(tensor(rows, [users.Length, s]), null);
        var scorer = new StepScorer(_network, _tokens, _network.CrossKeys(memory), padding, users.Length);
        return ConstrainedBeamSearch.Search(_trie, users.Length, Beam, k, scorer, exclude);
    }

    /// <summary>Decoder steps over one chunk's encoded histories; a query's beams form one group of the decoder batch.</summary>
    private sealed class StepScorer(TigerNetwork network, TigerTokens tokens, (Tensor K, Tensor V)[] cross, Tensor padding, int queries) : ICodeStepScorer
    {
        public float[] LogProbs(ReadOnlySpan<int> owners, ReadOnlySpan<int> prefixes, int level)
        {
            using var scope = NewDisposeScope();
            int n = owners.Length, t = level + 1;
            var count = new int[queries];
            foreach (int q in owners) count[q]++;
            int g = Math.Max(1, count.Max());
            // Slot of row r: owner × G + its rank among the owner's rows; unused slots decode a dummy sequence.
            var slots = new long[n];
            var rows = new long[(long)queries * g * t];
            for (int i = 0; i < queries * g; i++)
                for (int j = 0; j < t; j++) rows[(long)i * t + j] = j == 0 ? TigerTokens.Bos : tokens.Code(j - 1, 0);
            Array.Clear(count);
            for (int r = 0; r < n; r++)
            {
                int q = owners[r];
                long slot = (long)q * g + count[q]++;
                slots[r] = slot;
                for (int j = 0; j < level; j++) rows[slot * t + j + 1] = tokens.Code(j, prefixes[r * level + j]);
            }
            var hidden = network.Decode(tensor(rows, [queries * g, t]), cross, padding, null).select(1, level);   // [Q·G, D]
            var logProbs = network.Logits(hidden).narrow(1, tokens.Offset(level), tokens.Cardinality(level)).log_softmax(1)
                .index_select(0, tensor(slots));
            return logProbs.contiguous().data<float>().ToArray();
        }
    }

    public void Dispose()
    {
        lock (_lock) _network.Dispose();
        GC.SuppressFinalize(this);
    }
}
