namespace Recsys.Retrieval.Mips;

/// <summary>
/// The shared frame of the exact candidate rescorers (<see cref="Fp32Rescorer"/>, <see cref="ExactCpuMipsIndex.Rerank"/>):
/// argument checks, result arrays, and queries split into contiguous chunks over threads; each rescorer supplies the
/// row worker that scores its candidates.
/// </summary>
internal static unsafe class RescoreDriver
{
    /// <summary>Scores queries q0..q1-1 (pointers to the pinned queries and candidates) into rows of ids and scores [n, k].</summary>
    public delegate void Rows(nint queries, nint candidates, int perQuery, int q0, int q1, int k, int[] ids, float[] scores);

    /// <param name="queries">Row-major [n, dim].</param>
    /// <param name="candidates">Row-major [n, perQuery] item ids; −1 = none.</param>
    /// <param name="perQuery">Candidates per query.</param>
    /// <param name="k">Results per query.</param>
    /// <param name="dim">Vector dimension.</param>
    /// <param name="count">Items the candidates index.</param>
    /// <param name="threads">Worker threads (≥ 1).</param>
    /// <param name="rows">The rescorer's row worker.</param>
    public static MipsResult Run(ReadOnlySpan<float> queries, ReadOnlySpan<int> candidates, int perQuery, int k, int dim, int count, int threads, Rows rows)
    {
        int n = MipsArguments.QueryCount(queries, dim, k, null);
        if (perQuery < 0 || candidates.Length != (long)n * perQuery)
            throw new ArgumentException($"candidates hold {candidates.Length} ids, expected {n} queries × {perQuery}.", nameof(candidates));
        foreach (int id in candidates)
            if (id >= count) throw new ArgumentOutOfRangeException(nameof(candidates), id, $"candidate beyond the {count} items.");
        var ids = new int[(long)n * k];
        var scores = new float[(long)n * k];
        if (n == 0) return new MipsResult(0, k, ids, scores);
        fixed (float* q = queries)
        fixed (int* c = candidates)
        {
            nint qp = (nint)q, cp = (nint)c;
            int chunks = Math.Min(n, threads * 4);
            if (threads == 1 || chunks == 1) rows(qp, cp, perQuery, 0, n, k, ids, scores);
            else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                ch => rows(qp, cp, perQuery, (int)((long)n * ch / chunks), (int)((long)n * (ch + 1) / chunks), k, ids, scores));
        }
        return new MipsResult(n, k, ids, scores);
    }
}
