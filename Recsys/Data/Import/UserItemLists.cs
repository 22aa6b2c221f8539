namespace Recsys.Data.Import;

/// <summary>
/// Interactions parsed from a text file, with the 1-based source line of every row (for error messages)
/// and the largest user and item ids seen (-1 when none).
/// </summary>
public sealed record ParsedInteractions(string File, Interactions Rows, int[] Lines, int MaxUser, int MaxItem);

/// <summary>
/// Reads the NGCF / LightGCN / KGAT list format: one line per user, <c>user item item ...</c>, dense 0-based
/// ids separated by spaces or tabs. A user line without items is allowed; blank lines are skipped.
/// </summary>
public static class UserItemLists
{
    public static ParsedInteractions Read(TextSource src)
    {
        var users = new List<int>(src.Bytes.Length / 6);
        var items = new List<int>(src.Bytes.Length / 6);
        var lines = new List<int>(src.Bytes.Length / 6);
        int maxUser = -1, maxItem = -1;
        var reader = src.Lines();
        while (reader.Next(out var line))
        {
            var tokens = new TokenReader(line);
            if (!tokens.Next(out var tok)) continue;
            long ln = reader.LineNumber;
            int u = IdParser.Parse(tok, src, ln, "user");
            if (u > maxUser) maxUser = u;
            while (tokens.Next(out tok))
            {
                int i = IdParser.Parse(tok, src, ln, "item");
                if (i > maxItem) maxItem = i;
                users.Add(u); items.Add(i); lines.Add((int)ln);
            }
        }
        return new ParsedInteractions(src.Path, new Interactions(users.ToArray(), items.ToArray()), lines.ToArray(), maxUser, maxItem);
    }
}
