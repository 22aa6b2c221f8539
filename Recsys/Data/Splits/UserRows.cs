using System.Runtime.CompilerServices;

namespace Recsys.Data.Splits;

/// <summary>
/// Row indices grouped by user (counting sort, stable): the rows of user u are
/// <c>Rows[Start[u]..Start[u+1]]</c>, in their original order.
/// </summary>
public sealed class UserRows
{
    private UserRows(int[] start, int[] rows) { Start = start; Rows = rows; }

    /// <summary>Length numUsers + 1.</summary>
    public int[] Start { get; }
    public int[] Rows { get; }

    public Span<int> Of(int user) => Rows.AsSpan(Start[user], Start[user + 1] - Start[user]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static UserRows Group(ReadOnlySpan<int> users, int numUsers)
    {
        var start = new int[numUsers + 1];
        foreach (int u in users)
        {
            if ((uint)u >= (uint)numUsers) throw new ArgumentOutOfRangeException(nameof(users), $"user {u} is outside 0..{numUsers - 1}.");
            start[u + 1]++;
        }
        for (int u = 0; u < numUsers; u++) start[u + 1] += start[u];
        var fill = start[..^1];
        var rows = new int[users.Length];
        for (int r = 0; r < users.Length; r++) rows[fill[users[r]]++] = r;
        return new UserRows(start, rows);
    }

    /// <summary>round(n × ratio) with halves rounded up, as the KGAT-style split scripts do ((n + 2) / 5 for 0.2).</summary>
    public static int Portion(int n, double ratio) => (int)Math.Floor(n * ratio + 0.5 + 1e-9);
}
