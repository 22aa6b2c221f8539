using Recsys.Retrieval.Mips.Cpu;

namespace Recsys.Retrieval.Mips;

/// <summary>
/// Exact re-rank of candidates over row-major FP32 item vectors [Count, Dim] (<see cref="ExactRerank"/>): scores
/// accumulate over dimensions in order with fused multiply-adds, as <see cref="ExactCpuMipsIndex"/>'s kernels do, so
/// they are bit-identical to that index's. Queries are spread over threads. Immutable; safe to call concurrently.
/// </summary>
public sealed unsafe class Fp32Rescorer : ICandidateRescorer
{
    private readonly float[] _items;
    private readonly int _threads;

    /// <param name="items">Row-major [count, dim] vectors; referenced, not copied, so they must not change.</param>
    /// <param name="dim">Vector dimension (≥ 1).</param>
    /// <param name="threads">Worker threads; 0 = one per logical core.</param>
    public Fp32Rescorer(float[] items, int dim, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        Count = MipsArguments.ItemCount(items, dim);
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "must be ≥ 0 (0 = all cores).");
        _items = items;
        Dim = dim;
        _threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    public int Count { get; }
    public int Dim { get; }

    public MipsResult Rerank(ReadOnlySpan<float> queries, ReadOnlySpan<int> candidates, int perQuery, int k) =>
        RescoreDriver.Run(queries, candidates, perQuery, k, Dim, Count, _threads, Run);

    private void Run(nint queries, nint candidates, int perQuery, int q0, int q1, int k, int[] ids, float[] scores)
    {
        var list = new int[perQuery];
        var hs = new float[k];
        var hi = new int[k];
        fixed (float* x = _items, pHs = hs)
        fixed (int* pHi = hi)
        {
            for (int q = q0; q < q1; q++)
            {
                int count = 0;
                foreach (int id in new ReadOnlySpan<int>((int*)candidates + (long)q * perQuery, perQuery)) if (id >= 0) list[count++] = id;
                ExactRerank.Run((float*)queries + (long)q * Dim, x, Dim, list.AsSpan(0, count), pHs, pHi,
                    scores.AsSpan(q * k, k), ids.AsSpan(q * k, k));
            }
        }
    }
}
