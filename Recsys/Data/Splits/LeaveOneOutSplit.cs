namespace Recsys.Data.Splits;

/// <summary>Options of <see cref="LeaveOneOutSplit"/>.</summary>
public sealed record LeaveOneOutOptions
{
    /// <summary>Also hold out each user's second-latest interaction as validation.</summary>
    public bool HoldOutValid { get; init; }

    public void Validate() { }
}

/// <summary>
/// Leave-one-out, the sequential-recommendation protocol (SASRec, S3-Rec, TIGER): each user's latest interaction goes
/// to test and, with <see cref="LeaveOneOutOptions.HoldOutValid"/>, the one before it to validation. "Latest" is by
/// timestamp when the data has timestamps (ties broken by row order), otherwise by row order. A user needs at least
/// 2 interactions to give a test item (3 for a validation item too); shorter histories stay in train.
/// </summary>
public sealed class LeaveOneOutSplit : ISplitMethod
{
    private readonly LeaveOneOutOptions _o;

    public LeaveOneOutSplit(LeaveOneOutOptions options)
    {
        options.Validate();
        _o = options;
    }

    public string Name => "leave-one-out";

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["valid"] = _o.HoldOutValid ? "true" : "false",
    };

    public SplitPart[] Assign(Interactions all, int numUsers)
    {
        var groups = UserRows.Group(all.Users, numUsers);
        var parts = new SplitPart[all.Count];
        var ts = all.Timestamps;
        for (int u = 0; u < numUsers; u++)
        {
            var rows = groups.Of(u);
            if (rows.Length < 2) continue;
            int last = Latest(rows, ts, -1);
            parts[last] = SplitPart.Test;
            if (_o.HoldOutValid && rows.Length >= 3) parts[Latest(rows, ts, last)] = SplitPart.Valid;
        }
        return parts;
    }

    /// <summary>The row with the largest (timestamp, row) among <paramref name="rows"/>, skipping <paramref name="except"/>.</summary>
    private static int Latest(ReadOnlySpan<int> rows, long[]? ts, int except)
    {
        int best = -1;
        foreach (int r in rows)
        {
            if (r == except) continue;
            // Rows are ascending within a user, so a later row wins ties.
            if (best < 0 || ts is null || ts[r] >= ts[best]) best = r;
        }
        return best;
    }
}
