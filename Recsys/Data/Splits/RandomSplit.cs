using System.Globalization;
using System.Runtime.CompilerServices;

namespace Recsys.Data.Splits;

/// <summary>Options of <see cref="RandomSplit"/>.</summary>
public sealed record RandomSplitOptions
{
    /// <summary>Share of each user's interactions that goes to test (rounded half up, leaving at least one in train).</summary>
    public double TestRatio { get; init; } = 0.2;
    /// <summary>Share of each user's interactions that goes to validation (0 = no validation set).</summary>
    public double ValidRatio { get; init; }
    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (!(TestRatio >= 0 && TestRatio < 1)) throw new ArgumentOutOfRangeException(nameof(TestRatio), TestRatio, "must be in [0, 1).");
        if (!(ValidRatio >= 0 && ValidRatio < 1)) throw new ArgumentOutOfRangeException(nameof(ValidRatio), ValidRatio, "must be in [0, 1).");
        if (TestRatio + ValidRatio >= 1) throw new ArgumentOutOfRangeException(nameof(ValidRatio), ValidRatio, $"test ratio + valid ratio must be below 1 (test ratio is {TestRatio}).");
    }
}

/// <summary>
/// Per-user random hold-out, the protocol of NGCF / LightGCN / KGAT data: each user with n interactions gives
/// round(n·TestRatio) to test and round(n·ValidRatio) to validation, chosen by a seeded shuffle; at least one
/// stays in train (users with very few interactions keep them all in train). Users are visited in id order with
/// one <see cref="Random"/>(Seed), so the split is reproducible.
/// </summary>
public sealed class RandomSplit : ISplitMethod
{
    private readonly RandomSplitOptions _o;

    public RandomSplit(RandomSplitOptions options)
    {
        options.Validate();
        _o = options;
    }

    public string Name => "random";

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["seed"] = _o.Seed.ToString(CultureInfo.InvariantCulture),
        ["test_ratio"] = _o.TestRatio.ToString(CultureInfo.InvariantCulture),
        ["valid_ratio"] = _o.ValidRatio.ToString(CultureInfo.InvariantCulture),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SplitPart[] Assign(Interactions all, int numUsers)
    {
        var groups = UserRows.Group(all.Users, numUsers);
        var parts = new SplitPart[all.Count];
        var rng = new Random(_o.Seed);
        int[] scratch = [];
        for (int u = 0; u < numUsers; u++)
        {
            var rows = groups.Of(u);
            int n = rows.Length;
            if (n == 0) continue;
            int nTest = Math.Min(UserRows.Portion(n, _o.TestRatio), n - 1);
            int nValid = Math.Min(UserRows.Portion(n, _o.ValidRatio), n - 1 - nTest);
            if (scratch.Length < n) scratch = new int[Math.Max(n, scratch.Length * 2)];
            var s = scratch.AsSpan(0, n);
            rows.CopyTo(s);
            // Partial Fisher–Yates: the first nTest + nValid slots become a uniform random sample.
            for (int k = 0; k < nTest + nValid; k++)
            {
                int j = rng.Next(k, n);
                (s[k], s[j]) = (s[j], s[k]);
                parts[s[k]] = k < nTest ? SplitPart.Test : SplitPart.Valid;
            }
        }
        return parts;
    }
}
