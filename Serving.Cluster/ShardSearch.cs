using Recsys.Retrieval.Mips;

namespace Recsys.Serving.Cluster;

/// <summary>
/// A query batch on the wire: <see cref="NumQueries"/> row-major query vectors, the k wanted, per-query deny lists
/// (CSR, sorted ids) and one allow list shared by the batch. Ids are global item ids when sent to the coordinator and
/// a shard's local rows when the coordinator sends a shard its part.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardSearch
{
    [Id(0)] public required int K { get; init; }
    [Id(1)] public required int NumQueries { get; init; }
    /// <summary>[NumQueries, Dim] row-major.</summary>
    [Id(2)] public required float[] Queries { get; init; }
    /// <summary>Row pointers [NumQueries + 1] of the deny lists; null = none.</summary>
    [Id(3)] public int[]? ExcludePtr { get; init; }
    [Id(4)] public int[]? ExcludeIds { get; init; }
    /// <summary>Only these ids may be returned (any order); null = every id.</summary>
    [Id(5)] public int[]? Allow { get; init; }

    /// <summary>The deny lists as <see cref="Exclusions"/>, or null.</summary>
    public Exclusions? Exclusions() => ExcludePtr is null ? null : new Exclusions(ExcludePtr, ExcludeIds ?? []);

    /// <summary>A batch from an index call's arguments (the exclusion rows are copied out of their view).</summary>
    public static ShardSearch From(ReadOnlySpan<float> queries, int numQueries, int k, Exclusions? exclude, IReadOnlyList<int>? allow)
    {
        int[]? ptr = null, ids = null;
        if (exclude is not null)
        {
            ptr = new int[exclude.Rows + 1];
            var list = new List<int>();
            for (int q = 0; q < exclude.Rows; q++) { list.AddRange(exclude.Row(q).ToArray()); ptr[q + 1] = list.Count; }
            ids = [.. list];
        }
        return new ShardSearch { K = k, NumQueries = numQueries, Queries = queries.ToArray(), ExcludePtr = ptr, ExcludeIds = ids, Allow = allow?.ToArray() };
    }

    /// <summary>
    /// This batch cut to the item range [start, start + count) and shifted to local rows: each deny row keeps its ids in
    /// range, the allow list likewise (null when there is none; empty when none of its ids fall in the range).
    /// </summary>
    public ShardSearch ForRange(int start, int count)
    {
        int[]? ptr = null, ids = null;
        if (ExcludePtr is not null)
        {
            ptr = new int[NumQueries + 1];
            var list = new List<int>();
            var all = ExcludeIds ?? [];
            for (int q = 0; q < NumQueries; q++)
            {
                for (int j = ExcludePtr[q]; j < ExcludePtr[q + 1]; j++)
                    if (all[j] >= start && all[j] - start < count) list.Add(all[j] - start);
                ptr[q + 1] = list.Count;
            }
            ids = [.. list];
        }
        int[]? allow = Allow?.Where(id => id >= start && id - start < count).Select(id => id - start).ToArray();
        return this with { ExcludePtr = ptr, ExcludeIds = ids, Allow = allow };
    }
}
