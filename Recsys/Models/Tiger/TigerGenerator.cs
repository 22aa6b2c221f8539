using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// TIGER's serving side (<see cref="IItemGenerator"/>): its own CPU copy of a <see cref="TigerNetwork"/> (eval mode,
/// no dropout) and the catalog's <see cref="CodeTrie"/>. Histories are sorted by length and cut into chunks; each
/// chunk is encoded once and runs one batched <see cref="ConstrainedBeamSearch"/> whose decoder steps feed only the
/// newest code of every beam (a <see cref="TigerStepScorer"/> with a key/value cache). Chunks are independent, so
/// they are decoded by as many worker threads as libtorch has threads on the calling thread, each running libtorch
/// with one thread: the output does not depend on the number of workers. Scores are sequence log-probabilities.
/// Calls are serialised by a lock (thread-safe, not concurrent).
/// </summary>
public sealed class TigerGenerator : IItemGenerator, IDisposable
{
    // Measured on Beauty: 32 and 64 histories per chunk decode equally fast, 128 about 10% and 256 20% slower.
    private const int Chunk = 64;
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

    /// <summary>
    /// The top <paramref name="k"/> items of each user; see <see cref="IItemGenerator.Generate"/>. Uses
    /// <c>torch.get_num_threads()</c> of the calling thread as the number of chunk workers; while they run, libtorch's
    /// thread count is 1, and the caller's count is restored afterwards.
    /// </summary>
    public (int[] Ids, float[] Scores) Generate(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, int k, IReadOnlyList<int[]>? exclude)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(histories);
        if (histories.Count != users.Count) throw new ArgumentException($"{histories.Count} histories for {users.Count} users.", nameof(histories));
        if (exclude is not null && exclude.Count != users.Count) throw new ArgumentException($"{exclude.Count} exclusion lists for {users.Count} users.", nameof(exclude));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        int n = users.Count;
        // Similar lengths in one chunk: the encoder pads to the chunk's longest history.
        var order = Enumerable.Range(0, n).OrderBy(q => Math.Min(_tokens.MaxItems, histories[q].Length)).ThenBy(q => q).ToArray();
        // Encoder rows are built here, so a history with an unknown item fails on the caller's thread before any work.
        var chunks = new List<ChunkInput>();
        for (int start = 0; start < n; start += Chunk)
        {
            var part = order[start..Math.Min(n, start + Chunk)];
            var (rows, s) = _tokens.Source(part.Select(q => users[q]).ToArray(), part.Select(q => histories[q]).ToArray(), 0, part.Length, nameof(histories));
            chunks.Add(new ChunkInput(part, rows, s, exclude is null ? null : part.Select(q => exclude[q]).ToArray()));
        }
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        // Each decoder step allocates and frees tensors of several MB; without this glibc maps and unmaps them anew.
        Training.NativeHeap.KeepLargeBlocks();
        lock (_lock)
        {
            int workers = Math.Min(chunks.Count, get_num_threads());
            if (workers <= 1)
            {
                using var _ = no_grad();
                foreach (var chunk in chunks) Decode(chunk, k, ids, scores);
            }
            else InParallel(chunks, workers, k, ids, scores);
        }
        return (ids, scores);
    }

    /// <summary>
    /// Decodes the chunks on <paramref name="workers"/> dedicated threads, each taking the next undecoded chunk.
    /// libtorch's thread count is set per thread (its OpenMP setting is thread-local), so every worker sets 1 for
    /// itself, and the caller's count, which those calls also change globally, is restored at the end.
    /// </summary>
    private void InParallel(List<ChunkInput> chunks, int workers, int k, int[] ids, float[] scores)
    {
        int previous = get_num_threads(), next = -1;
        ExceptionDispatchInfo? failure = null;
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            try
            {
                set_num_threads(1);
                using var _ = no_grad();
                for (int c; (c = Interlocked.Increment(ref next)) < chunks.Count && Volatile.Read(ref failure) is null;)
                    Decode(chunks[c], k, ids, scores);
            }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null); }
        }) { IsBackground = true, Name = "tiger-decode" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        set_num_threads(previous);
        failure?.Throw();
    }

    /// <summary>Encodes one chunk and beam-searches it, writing its users' rows of the results.</summary>
    private void Decode(ChunkInput chunk, int k, int[] ids, float[] scores)
    {
        int m = chunk.Users.Length;
        using var scope = NewDisposeScope();
        // The network passes libtorch only KeptScalars, so no Scalar can be finalized mid-call whatever the GC does; the
        // no-GC region is a second line for any temporary TorchSharp makes on its own (its budget can run out while
        // chunk workers overlap, which is why the first line exists).
        using var quiet = Training.GcQuiet.Enter();
        var (memory, padding) = _network.Encode(tensor(chunk.Rows, [m, chunk.S]), null);
        using var scorer = new TigerStepScorer(_network, _tokens, _network.CrossKeys(memory), padding, m);
        var (partIds, partScores) = ConstrainedBeamSearch.Search(_trie, m, Beam, k, scorer, chunk.Exclude);
        for (int j = 0; j < m; j++)
        {
            Array.Copy(partIds, (long)j * k, ids, (long)chunk.Users[j] * k, k);
            Array.Copy(partScores, (long)j * k, scores, (long)chunk.Users[j] * k, k);
        }
    }

    /// <summary>A chunk's users (positions in the request), encoder rows [m, S] and exclusion lists.</summary>
    private sealed record ChunkInput(int[] Users, long[] Rows, int S, int[][]? Exclude);

    public void Dispose()
    {
        lock (_lock) _network.Dispose();
        GC.SuppressFinalize(this);
    }
}
