namespace Recsys.Data;

/// <summary>
/// Binary user × item matrix in CSR form (rows = users, sorted unique item ids per row), with the CSC
/// (item → users) view built on first use. Duplicate (user, item) pairs collapse to one entry.
/// </summary>
public sealed class InteractionMatrix
{
    private (int[] ColPtr, int[] RowIdx)? _csc;

    private InteractionMatrix(int numUsers, int numItems, int[] rowPtr, int[] colIdx)
    {
        NumUsers = numUsers; NumItems = numItems; RowPtr = rowPtr; ColIdx = colIdx;
    }

    public int NumUsers { get; }
    public int NumItems { get; }
    /// <summary>CSR row pointers, length NumUsers + 1.</summary>
    public int[] RowPtr { get; }
    /// <summary>CSR item ids, sorted ascending within each user.</summary>
    public int[] ColIdx { get; }
    public int NonZeros => ColIdx.Length;

    public ReadOnlySpan<int> ItemsOf(int user) => ColIdx.AsSpan(RowPtr[user], RowPtr[user + 1] - RowPtr[user]);
    public int UserDegree(int user) => RowPtr[user + 1] - RowPtr[user];

    public bool Contains(int user, int item) => ItemsOf(user).BinarySearch(item) >= 0;

    /// <summary>CSC column pointers (length NumItems + 1) and user ids sorted within each item.</summary>
    public (int[] ColPtr, int[] RowIdx) Csc => _csc ??= BuildCsc();

    public ReadOnlySpan<int> UsersOf(int item)
    {
        var (p, r) = Csc;
        return r.AsSpan(p[item], p[item + 1] - p[item]);
    }

    /// <summary>Number of interactions per item.</summary>
    public int[] ItemDegrees()
    {
        var d = new int[NumItems];
        foreach (var i in ColIdx) d[i]++;
        return d;
    }

    /// <summary>Items without any interaction (true at their ids): a training matrix's cold items.</summary>
    public bool[] ItemsWithoutInteractions()
    {
        var none = new bool[NumItems];
        Array.Fill(none, true);
        foreach (var i in ColIdx) none[i] = false;
        return none;
    }

    public static InteractionMatrix From(Interactions x, int numUsers, int numItems)
        => From(x.Users, x.Items, numUsers, numItems);

    /// <summary>Builds the matrix by counting sort; ids must already be in range.</summary>
    public static InteractionMatrix From(ReadOnlySpan<int> users, ReadOnlySpan<int> items, int numUsers, int numItems)
    {
        var rowPtr = new int[numUsers + 1];
        for (int r = 0; r < users.Length; r++)
        {
            if ((uint)users[r] >= (uint)numUsers) throw new ArgumentOutOfRangeException(nameof(users), $"user {users[r]} at row {r} is outside 0..{numUsers - 1}");
            if ((uint)items[r] >= (uint)numItems) throw new ArgumentOutOfRangeException(nameof(items), $"item {items[r]} at row {r} is outside 0..{numItems - 1}");
            rowPtr[users[r] + 1]++;
        }
        for (int u = 0; u < numUsers; u++) rowPtr[u + 1] += rowPtr[u];
        var col = new int[users.Length];
        var fill = rowPtr[..^1].ToArray();
        for (int r = 0; r < users.Length; r++) col[fill[users[r]]++] = items[r];

        // Sort each row and drop duplicates, compacting in place.
        var newPtr = new int[numUsers + 1];
        int w = 0;
        for (int u = 0; u < numUsers; u++)
        {
            var row = col.AsSpan(rowPtr[u], rowPtr[u + 1] - rowPtr[u]);
            row.Sort();
            for (int k = 0; k < row.Length; k++)
                if (k == 0 || row[k] != row[k - 1]) col[w++] = row[k];
            newPtr[u + 1] = w;
        }
        if (w != col.Length) Array.Resize(ref col, w);
        return new InteractionMatrix(numUsers, numItems, newPtr, col);
    }

    private (int[], int[]) BuildCsc()
    {
        var colPtr = new int[NumItems + 1];
        foreach (var i in ColIdx) colPtr[i + 1]++;
        for (int i = 0; i < NumItems; i++) colPtr[i + 1] += colPtr[i];
        var rows = new int[ColIdx.Length];
        var fill = colPtr[..^1].ToArray();
        // Rows visited in ascending user order, so users come out sorted within each item.
        for (int u = 0; u < NumUsers; u++)
            for (int k = RowPtr[u]; k < RowPtr[u + 1]; k++)
                rows[fill[ColIdx[k]]++] = u;
        return (colPtr, rows);
    }
}
