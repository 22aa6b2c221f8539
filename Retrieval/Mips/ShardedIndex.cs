namespace Recsys.Retrieval.Mips;

/// <summary>
/// A set of indexes searched as one (faiss <c>IndexShards</c>): every shard is searched for the full k, in parallel,
/// and the per-shard top-k lists are merged exactly by <see cref="TopKMerge"/>, so the answer — ids, order, ties by
/// lower id, padding — equals that of one index over all the items, provided the shards compute the same scores
/// (e.g. <see cref="ExactCpuMipsIndex"/> shards of one matrix give bit-identical scores to the whole-matrix index).
/// <para>
/// Two layouts: <see cref="OverRanges"/> — shard s holds the contiguous global ids [offset_s, offset_s + Count_s),
/// offsets in shard order, so global id = offset + local row (exclusion rows are cut to each shard's range and
/// shifted); <see cref="OverIdMapped"/> — each shard already answers with global ids (e.g. an <see cref="IdMapIndex"/>),
/// the shards' id sets are disjoint, and exclusion rows pass through unchanged.
/// </para>
/// Thread safety: as the shards (all of this folder's are safe); Count = Σ shard counts.
/// </summary>
public sealed class ShardedIndex : IMipsIndex
{
    private readonly IMipsIndex[] _shards;
    private readonly int[]? _offsets;
    private readonly bool _ownsShards;

    private ShardedIndex(IMipsIndex[] shards, bool ranges, bool ownsShards)
    {
        if (shards.Length == 0) throw new ArgumentException("a shard set needs at least one shard.", nameof(shards));
        foreach (var s in shards) ArgumentNullException.ThrowIfNull(s, nameof(shards));
        Dim = shards[0].Dim;
        foreach (var s in shards)
            if (s.Dim != Dim) throw new ArgumentException($"shards have dimensions {s.Dim} and {Dim}.", nameof(shards));
        long count = shards.Sum(s => (long)s.Count);
        if (count > int.MaxValue) throw new ArgumentException($"the shards hold {count} items, more than int ids address.", nameof(shards));
        Count = (int)count;
        _shards = shards;
        _ownsShards = ownsShards;
        if (ranges)
        {
            _offsets = new int[shards.Length];
            for (int s = 1; s < shards.Length; s++) _offsets[s] = _offsets[s - 1] + shards[s - 1].Count;
        }
    }

    /// <summary>Shards over consecutive item ranges: shard s holds global ids starting at Σ_{t&lt;s} Count_t.</summary>
    /// <param name="shards">The shards, in id order; all of the same dimension.</param>
    /// <param name="ownsShards">Whether disposing the set disposes the shards.</param>
    public static ShardedIndex OverRanges(IReadOnlyList<IMipsIndex> shards, bool ownsShards = true) => new(shards.ToArray(), true, ownsShards);

    /// <summary>Shards that already answer with global ids (disjoint id sets, e.g. <see cref="IdMapIndex"/> shards).</summary>
    public static ShardedIndex OverIdMapped(IReadOnlyList<IMipsIndex> shards, bool ownsShards = true) => new(shards.ToArray(), false, ownsShards);

    public int Count { get; }
    public int Dim { get; }

    /// <summary>The shards, in order.</summary>
    public IReadOnlyList<IMipsIndex> Shards => _shards;

    /// <summary>First global id of each shard (ranges layout), or null for id-mapped shards.</summary>
    public IReadOnlyList<int>? Offsets => _offsets;

    public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null)
    {
        int n = MipsArguments.QueryCount(queries, Dim, k, exclude);
        if (n == 0) return new MipsResult(0, k, [], []);
        var parts = new MipsResult[_shards.Length];
        // The span cannot enter the parallel lambda; one copy of the queries is small next to a scan of the shards.
        var q = queries.ToArray();
        Parallel.For(0, _shards.Length, s =>
        {
            var ex = exclude is null ? null : _offsets is null ? exclude : Localise(exclude, _offsets[s], _shards[s].Count);
            parts[s] = _shards[s].Search(q, k, ex);
        });
        return TopKMerge.Merge(parts, k, _offsets);
    }

    /// <summary>Each row's ids within [offset, offset + count), shifted to local rows (still ascending).</summary>
    internal static Exclusions Localise(Exclusions ex, int offset, int count)
    {
        var ptr = new int[ex.Rows + 1];
        var ids = new List<int>();
        for (int r = 0; r < ex.Rows; r++)
        {
            foreach (int id in ex.Row(r))
                if (id >= offset && id - offset < count) ids.Add(id - offset);
            ptr[r + 1] = ids.Count;
        }
        return new Exclusions(ptr, ids.ToArray());
    }

    public void Dispose()
    {
        if (_ownsShards) foreach (var s in _shards) s.Dispose();
    }
}
