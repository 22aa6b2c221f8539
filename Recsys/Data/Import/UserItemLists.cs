using System.Runtime.CompilerServices;

namespace Recsys.Data.Import;

/// <summary>
/// Interactions parsed from a text file, with the 1-based source line of every row (for error messages)
/// and the largest user and item ids seen (-1 when none).
/// </summary>
public sealed record ParsedInteractions(string File, Interactions Rows, int[] Lines, int MaxUser, int MaxItem)
{
    /// <summary>List formats: the user id that starts each non-empty line (users without items included).</summary>
    public IdColumn? LineUsers { get; init; }
    /// <summary>Raw user ids by dense id, for error messages; null when dense id = raw id.</summary>
    public IReadOnlyList<string>? UserRawIds { get; init; }
    /// <summary>Raw item ids by dense id, for error messages; null when dense id = raw id.</summary>
    public IReadOnlyList<string>? ItemRawIds { get; init; }

    /// <summary>The item column with its lines, for <see cref="DenseIds.Check"/>.</summary>
    public IdColumn ItemIds => new(File, "item", Rows.Items, Lines);

    /// <summary>The raw form of dense user id <paramref name="user"/>.</summary>
    public string RawUser(int user) => UserRawIds is { } r ? r[user] : user.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The raw form of dense item id <paramref name="item"/>.</summary>
    public string RawItem(int item) => ItemRawIds is { } r ? r[item] : item.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads the NGCF / LightGCN / KGAT list format: one line per user, <c>user item item ...</c>, dense 0-based
/// ids separated by spaces or tabs (LF or CRLF). A user line without items is allowed; blank lines are skipped.
/// </summary>
public static class UserItemLists
{
    /// <summary>
    /// One pass over the bytes with digits accumulated in place (no per-line or per-token slicing), the common
    /// case of a 6 MB Gowalla file taking tens of milliseconds. A malformed token is re-parsed by
    /// <see cref="IdParser"/> to produce its error message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ParsedInteractions Read(TextSource src)
    {
        var data = src.Bytes;
        int capacity = data.Length / 4 + 16;
        var users = new int[capacity]; var items = new int[capacity]; var lines = new int[capacity];
        var lineUsers = new List<int>(); var lineUserLines = new List<int>();
        int n = 0, maxUser = -1, maxItem = -1, line = 1, user = -1;
        bool lineHasUser = false;
        int i = 0;
        while (i < data.Length)
        {
            byte c = data[i];
            if (c == (byte)'\n') { line++; lineHasUser = false; i++; continue; }
            if (c == (byte)' ' || c == (byte)'\t' || c == (byte)'\r') { i++; continue; }
            int start = i;
            long v = 0;
            uint d;
            while (i < data.Length && (d = (uint)(data[i] - '0')) <= 9 && v <= int.MaxValue)
            {
                v = v * 10 + d;
                i++;
            }
            if (v > int.MaxValue || (i < data.Length && !IsSeparator(data[i])))
            {
                int end = start;
                while (end < data.Length && !IsSeparator(data[end])) end++;
                IdParser.Parse(data.AsSpan(start, end - start), src, line, lineHasUser ? "item" : "user"); // throws
            }
            int id = (int)v;
            if (!lineHasUser)
            {
                user = id;
                lineHasUser = true;
                lineUsers.Add(id); lineUserLines.Add(line);
                if (id > maxUser) maxUser = id;
                continue;
            }
            if (n == users.Length)
            {
                Array.Resize(ref users, n * 2); Array.Resize(ref items, n * 2); Array.Resize(ref lines, n * 2);
            }
            users[n] = user; items[n] = id; lines[n] = line;
            n++;
            if (id > maxItem) maxItem = id;
        }
        return new ParsedInteractions(src.Path, new Interactions(users[..n], items[..n]), lines[..n], maxUser, maxItem)
        {
            LineUsers = new IdColumn(src.Path, "user", lineUsers.ToArray(), lineUserLines.ToArray()),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
