namespace Recsys.Models.Propagation;

/// <summary>
/// A per-thread node → batch-slot map for the kernels that multiply by a matrix non-zero only on a batch's rows
/// (<see cref="Recsys.Graphs.CsrKernels.MultiplySparseRows"/>): slot[rows[i]] = i, −1 elsewhere. Kept between steps
/// (an N-sized array per step would churn the large-object heap); <see cref="Clear"/> resets only the rows set.
/// </summary>
internal static class RowSlots
{
    [ThreadStatic] private static int[]? _slot;

    /// <summary>The map for <paramref name="n"/> nodes with the given distinct rows set; call <see cref="Clear"/> when done.</summary>
    public static int[] Set(int n, int[] rows)
    {
        if (_slot is null || _slot.Length != n) { _slot = new int[n]; Array.Fill(_slot, -1); }
        for (int i = 0; i < rows.Length; i++) _slot[rows[i]] = i;
        return _slot;
    }

    public static void Clear(int[] slot, int[] rows)
    {
        foreach (var r in rows) slot[r] = -1;
    }
}
