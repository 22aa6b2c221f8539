namespace Recsys.Data.Synthetic;

/// <summary>Draws from a fixed item list where the item at rank r has weight 1 / (r + 1)^a (inverse-CDF, binary search).</summary>
internal sealed class PowerLawSampler
{
    private readonly int[] _items;
    private readonly double[] _cdf;

    public PowerLawSampler(int[] itemsByRank, double exponent)
    {
        _items = itemsByRank;
        _cdf = new double[itemsByRank.Length];
        double acc = 0;
        for (int r = 0; r < _cdf.Length; r++) _cdf[r] = acc += Math.Pow(r + 1, -exponent);
        for (int r = 0; r < _cdf.Length; r++) _cdf[r] /= acc;
    }

    /// <summary>Items in rank order (most popular first).</summary>
    public int[] Items => _items;
    public int Count => _items.Length;

    public int Sample(SyntheticRandom rng)
    {
        double x = rng.NextDouble();
        int lo = 0, hi = _cdf.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_cdf[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return _items[lo];
    }
}
