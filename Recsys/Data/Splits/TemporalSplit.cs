using System.Globalization;

namespace Recsys.Data.Splits;

/// <summary>Options of <see cref="TemporalSplit"/>: give exactly one of <see cref="CutTime"/> and <see cref="CutQuantile"/>.</summary>
public sealed record TemporalSplitOptions
{
    /// <summary>Interactions with timestamp ≤ CutTime go to train (and validation), later ones to test.</summary>
    public long? CutTime { get; init; }
    /// <summary>The cut is this quantile of all timestamps (e.g. 0.8: the earliest ~80 % train).</summary>
    public double? CutQuantile { get; init; }
    /// <summary>Share of the training period's latest interactions that becomes validation (0 = none).</summary>
    public double ValidRatio { get; init; }

    public void Validate()
    {
        if (CutTime is null == CutQuantile is null)
            throw new ArgumentOutOfRangeException(nameof(CutTime), "give exactly one of the cut time and the cut quantile.");
        if (CutQuantile is { } q && !(q > 0 && q < 1)) throw new ArgumentOutOfRangeException(nameof(CutQuantile), q, "must be in (0, 1).");
        if (!(ValidRatio >= 0 && ValidRatio < 1)) throw new ArgumentOutOfRangeException(nameof(ValidRatio), ValidRatio, "must be in [0, 1).");
    }
}

/// <summary>
/// Global temporal split: one cut time for everybody, so no training interaction happens after a test one (no
/// leakage from the future). Train = time ≤ cut, test = time &gt; cut. With a validation ratio v the latest share v of
/// the training interactions (time above the (1 − v) quantile of training times) becomes validation.
/// Needs timestamps.
/// </summary>
public sealed class TemporalSplit : ISplitMethod
{
    private readonly TemporalSplitOptions _o;

    public TemporalSplit(TemporalSplitOptions options)
    {
        options.Validate();
        _o = options;
    }

    public string Name => "temporal";

    public IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var s = new Dictionary<string, string> { ["valid_ratio"] = _o.ValidRatio.ToString(CultureInfo.InvariantCulture) };
            if (_o.CutTime is { } t) s["cut_time"] = t.ToString(CultureInfo.InvariantCulture);
            if (_o.CutQuantile is { } q) s["cut_quantile"] = q.ToString(CultureInfo.InvariantCulture);
            if (LastCut is { } c) s["cut"] = c.ToString(CultureInfo.InvariantCulture);
            return s;
        }
    }

    /// <summary>The cut time used by the last <see cref="Assign"/> call (resolved from the quantile when given).</summary>
    public long? LastCut { get; private set; }

    public SplitPart[] Assign(Interactions all, int numUsers)
    {
        var ts = all.Timestamps ?? throw new ArgumentException("a temporal split needs timestamps, and this dataset has none; use a random or leave-one-out split.");
        var parts = new SplitPart[all.Count];
        if (all.Count == 0) return parts;
        long cut = _o.CutTime ?? Quantile(ts, _o.CutQuantile!.Value);
        LastCut = cut;
        var trainTimes = new List<long>(ts.Length);
        for (int r = 0; r < ts.Length; r++)
        {
            if (ts[r] > cut) parts[r] = SplitPart.Test;
            else trainTimes.Add(ts[r]);
        }
        if (_o.ValidRatio > 0 && trainTimes.Count > 0)
        {
            long validCut = Quantile(trainTimes.ToArray(), 1 - _o.ValidRatio);
            for (int r = 0; r < ts.Length; r++)
                if (ts[r] <= cut && ts[r] > validCut) parts[r] = SplitPart.Valid;
        }
        return parts;
    }

    /// <summary>The lower q-quantile: the smallest t such that at least a share q of the values are ≤ t.</summary>
    public static long Quantile(long[] values, double q)
    {
        var sorted = (long[])values.Clone();
        Array.Sort(sorted);
        int k = (int)Math.Ceiling(q * sorted.Length - 1e-9) - 1;
        return sorted[Math.Clamp(k, 0, sorted.Length - 1)];
    }
}
