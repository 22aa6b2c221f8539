using Recsys.Catalog;
using Recsys.Data;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;
using Recsys.Training;

namespace Recsys.Serving;

/// <summary>
/// One servable model: the <see cref="FittedRecommender"/>, raw-id maps of its data, its version and kind, when it was
/// loaded, and the popularity order used for cold users. Immutable once built. Its lifetime is reference counted: the
/// service holds one reference while the snapshot is current and every request holds one while it runs, so a swapped-out
/// snapshot is disposed by whichever of them lets go last — never under a request still using it.
/// </summary>
public sealed class ServingSnapshot : IDisposable
{
    private int _refs = 1; // the creator's reference; Dispose releases it.
    private int _ownerReleased;

    public ServingSnapshot(FittedRecommender recommender, string version, string kind, (int[] Order, float[] Counts) popularity,
        DateTimeOffset? loadedAt = null, ItemAttributeIndex? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        if (popularity.Order.Length != recommender.NumItems || popularity.Counts.Length != recommender.NumItems)
            throw new ArgumentException($"the popularity order covers {popularity.Order.Length} items, the model {recommender.NumItems}.", nameof(popularity));
        Recommender = recommender; Version = version; Kind = kind;
        PopularOrder = popularity.Order; PopularCounts = popularity.Counts;
        LoadedAt = loadedAt ?? DateTimeOffset.UtcNow;
        Attributes = attributes ?? ItemAttributeIndex.None;
        var data = recommender.Data;
        Users = new RawIdMap(data.UserRawIds, Math.Max(recommender.NumUsers, data.Seen?.Rows ?? 0));
        Items = new RawIdMap(data.ItemRawIds, recommender.NumItems);
    }

    /// <summary>Loads run folder <paramref name="run"/> over dataset folder <paramref name="dataDir"/>; the version names the run and its model.bin's time.</summary>
    public static ServingSnapshot Load(string run, string dataDir, RecsysCatalog catalog, MipsIndexChoice? index = null, int? beam = null, double? coldSlots = null)
    {
        var data = DatasetFolder.Read(dataDir);
        return Load(run, data, catalog, index: index, beam: beam, coldSlots: coldSlots);
    }

    /// <summary>
    /// Loads run folder <paramref name="run"/> over <paramref name="data"/> (the run's data, checked by fingerprint),
    /// searched with <paramref name="index"/> (default: exact CPU, one thread per request). For a generative run (TIGER),
    /// <paramref name="beam"/> and <paramref name="coldSlots"/> set its decoding as in <see cref="RunFolderRecommender.Load"/>.
    /// </summary>
    public static ServingSnapshot Load(string run, Dataset data, RecsysCatalog catalog, string? version = null, MipsIndexChoice? index = null,
        int? beam = null, double? coldSlots = null)
    {
        var folder = new RunFolder(run);
        var recommender = RunFolderRecommender.Load(run, data, catalog, index ?? DefaultIndex, coldSlots: coldSlots, beam: beam);
        try
        {
            string kind = folder.ReadRecord(catalog).Model.Kind;
            version ??= $"{Path.GetFileName(folder.Path)}@{File.GetLastWriteTimeUtc(folder.ModelFile):yyyyMMdd'T'HHmmss'Z'}";
            return new ServingSnapshot(recommender, version, kind, Popularity.Rank(data.Train, data.NumItems), attributes: ItemAttributeIndex.From(data.Attributes));
        }
        catch
        {
            recommender.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The serving default: exact CPU search with one thread per request — concurrent requests already keep the cores
    /// busy, and splitting one query's scan across threads only adds hand-offs under load.
    /// </summary>
    public static MipsIndexChoice DefaultIndex { get; } = new() { Threads = 1 };

    public FittedRecommender Recommender { get; }
    /// <summary>Items per attribute name, for attribute filters (empty when the data has none).</summary>
    public ItemAttributeIndex Attributes { get; }
    public string Version { get; }
    public string Kind { get; }
    public DateTimeOffset LoadedAt { get; }
    public RawIdMap Users { get; }
    public RawIdMap Items { get; }
    /// <summary>Every item, most frequent in training first.</summary>
    public IReadOnlyList<int> PopularOrder { get; }
    /// <summary>Training count of each item.</summary>
    public IReadOnlyList<float> PopularCounts { get; }
    /// <summary>Whether the snapshot has been disposed (its last reference released).</summary>
    public bool IsDisposed => Volatile.Read(ref _refs) <= 0;

    private RequestBatcher? _batcher;

    /// <summary>The snapshot's request batcher, started on first use with <paramref name="options"/>' sizes; stopped when the snapshot is released.</summary>
    internal RequestBatcher Batcher(ServingOptions options)
    {
        if (Volatile.Read(ref _batcher) is { } b) return b;
        var made = new RequestBatcher(Recommender, options.MaxCoalesced, options.BatchWorkers);
        var won = Interlocked.CompareExchange(ref _batcher, made, null);
        if (won is null) return made;
        made.Dispose();
        return won;
    }

    /// <summary>Coalesced searches and the requests they answered on this snapshot (zeros when batching is off).</summary>
    public (long Searches, long Requests) BatchStats => Volatile.Read(ref _batcher)?.Stats ?? (0, 0);

    /// <summary>Takes a reference unless the snapshot is already released; the caller must <see cref="Release"/> it.</summary>
    internal bool TryAcquire()
    {
        while (true)
        {
            int n = Volatile.Read(ref _refs);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref _refs, n + 1, n) == n) return true;
        }
    }

    /// <summary>Drops a reference; the last one disposes the recommender.</summary>
    internal void Release()
    {
        int n = Interlocked.Decrement(ref _refs);
        if (n == 0)
        {
            // Every request holds a reference while it waits on the batcher, so nothing is queued any more.
            Interlocked.Exchange(ref _batcher, null)?.Dispose();
            Recommender.Dispose();
        }
        else if (n < 0) throw new InvalidOperationException("a serving snapshot was released more times than it was acquired.");
    }

    /// <summary>Releases the creator's reference (the service does this when the snapshot is swapped out).</summary>
    public void Dispose()
    {
        // Idempotent, so an owner that disposes after a failed hand-over cannot release a request's reference.
        if (Interlocked.Exchange(ref _ownerReleased, 1) == 0) Release();
    }
}
