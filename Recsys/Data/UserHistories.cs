namespace Recsys.Data;

/// <summary>
/// Ordered per-user interaction histories in CSR form: user u's items are <c>Items[Ptr[u]..Ptr[u+1]]</c>, oldest
/// first. Built by <see cref="From"/>: in time order where the source has timestamps (stable, so equal timestamps keep
/// file order), in file order otherwise (e.g. Gowalla's official split lists a user's training items in file order).
/// Arrays are owned by this object and must not be mutated.
/// </summary>
public sealed class UserHistories
{
    private UserHistories(int numUsers, int numItems, int[] ptr, int[] items, long[]? timestamps)
    {
        NumUsers = numUsers; NumItems = numItems; Ptr = ptr; Items = items; Timestamps = timestamps;
    }

    public int NumUsers { get; }
    public int NumItems { get; }
    /// <summary>Row pointers, length NumUsers + 1.</summary>
    public int[] Ptr { get; }
    /// <summary>Item ids of all histories, user by user, each in time (or file) order.</summary>
    public int[] Items { get; }
    /// <summary>The timestamp of each entry of <see cref="Items"/>; null when the source had none.</summary>
    public long[]? Timestamps { get; }

    /// <summary>Number of interactions of <paramref name="user"/>.</summary>
    public int Length(int user) => Ptr[user + 1] - Ptr[user];

    /// <summary>User <paramref name="user"/>'s items, oldest first.</summary>
    public ReadOnlySpan<int> ItemsOf(int user) => Items.AsSpan(Ptr[user], Length(user));

    /// <summary>User <paramref name="user"/>'s timestamps (aligned with <see cref="ItemsOf"/>); empty when there are none.</summary>
    public ReadOnlySpan<long> TimestampsOf(int user) =>
        Timestamps is null ? ReadOnlySpan<long>.Empty : Timestamps.AsSpan(Ptr[user], Length(user));

    /// <summary>
    /// Groups <paramref name="interactions"/> by user (a counting sort, so file order is kept within a user) and,
    /// when they carry timestamps, orders each user's rows by timestamp with ties in file order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or a user or item id is outside its range.</exception>
    public static UserHistories From(Interactions interactions, int numUsers, int numItems)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentOutOfRangeException.ThrowIfNegative(numUsers);
        ArgumentOutOfRangeException.ThrowIfNegative(numItems);
        var users = interactions.Users;
        var items = interactions.Items;
        var ts = interactions.Timestamps;
        int n = interactions.Count;
        var ptr = new int[numUsers + 1];
        for (int r = 0; r < n; r++)
        {
            if ((uint)users[r] >= (uint)numUsers)
                throw new ArgumentOutOfRangeException(nameof(interactions), $"row {r}: user {users[r]} is outside 0..{numUsers - 1}.");
            if ((uint)items[r] >= (uint)numItems)
                throw new ArgumentOutOfRangeException(nameof(interactions), $"row {r}: item {items[r]} is outside 0..{numItems - 1}.");
            ptr[users[r] + 1]++;
        }
        for (int u = 0; u < numUsers; u++) ptr[u + 1] += ptr[u];
        var fill = ptr[..^1];
        var rows = new int[n];
        for (int r = 0; r < n; r++) rows[fill[users[r]]++] = r;
        if (ts is not null)
        {
            // Rows within a user are in file order, so sorting by (timestamp, row) is a stable sort by timestamp.
            Comparison<int> byTime = (a, b) => ts[a] != ts[b] ? ts[a].CompareTo(ts[b]) : a.CompareTo(b);
            for (int u = 0; u < numUsers; u++)
            {
                var span = rows.AsSpan(ptr[u], ptr[u + 1] - ptr[u]);
                if (!IsTimeOrdered(span, ts)) span.Sort(byTime);
            }
        }
        var outItems = new int[n];
        var outTs = ts is null ? null : new long[n];
        for (int k = 0; k < n; k++)
        {
            outItems[k] = items[rows[k]];
            if (outTs is not null) outTs[k] = ts![rows[k]];
        }
        return new UserHistories(numUsers, numItems, ptr, outItems, outTs);
    }

    private static bool IsTimeOrdered(ReadOnlySpan<int> rows, long[] ts)
    {
        for (int k = 1; k < rows.Length; k++)
            if (ts[rows[k]] < ts[rows[k - 1]]) return false;
        return true;
    }
}
