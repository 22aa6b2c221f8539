namespace Recsys.Data;

/// <summary>
/// A columnar list of (user, item) interactions with dense 0-based ids, plus optional timestamps and weights.
/// Arrays have equal length; the arrays are owned by this object and must not be mutated after construction.
/// </summary>
public sealed class Interactions
{
    public Interactions(int[] users, int[] items, long[]? timestamps = null, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.Length != items.Length)
            throw new ArgumentException($"users ({users.Length}) and items ({items.Length}) differ in length.");
        if (timestamps is not null && timestamps.Length != users.Length)
            throw new ArgumentException($"timestamps ({timestamps.Length}) and users ({users.Length}) differ in length.");
        if (weights is not null && weights.Length != users.Length)
            throw new ArgumentException($"weights ({weights.Length}) and users ({users.Length}) differ in length.");
        Users = users;
        Items = items;
        Timestamps = timestamps;
        Weights = weights;
    }

    public static Interactions Empty { get; } = new([], []);

    public int[] Users { get; }
    public int[] Items { get; }
    public long[]? Timestamps { get; }
    public float[]? Weights { get; }
    public int Count => Users.Length;
    public bool HasTimestamps => Timestamps is not null;

    /// <summary>Selects the rows at <paramref name="rows"/> (in that order) into a new list.</summary>
    public Interactions Select(ReadOnlySpan<int> rows)
    {
        var u = new int[rows.Length];
        var i = new int[rows.Length];
        var t = Timestamps is null ? null : new long[rows.Length];
        var w = Weights is null ? null : new float[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            int src = rows[r];
            u[r] = Users[src];
            i[r] = Items[src];
            if (t is not null) t[r] = Timestamps![src];
            if (w is not null) w[r] = Weights![src];
        }
        return new Interactions(u, i, t, w);
    }

    /// <summary>Concatenates interaction lists (timestamps/weights kept only when every non-empty part has them).</summary>
    public static Interactions Concat(params Interactions[] parts)
    {
        int n = parts.Sum(p => p.Count);
        // Empty parts carry no information, so they do not drop a column the others have.
        bool ts = parts.All(p => p.Timestamps is not null || p.Count == 0) && parts.Any(p => p.Timestamps is not null);
        bool ws = parts.All(p => p.Weights is not null || p.Count == 0) && parts.Any(p => p.Weights is not null);
        var u = new int[n]; var i = new int[n];
        var t = ts ? new long[n] : null; var w = ws ? new float[n] : null;
        int o = 0;
        foreach (var p in parts)
        {
            p.Users.CopyTo(u, o); p.Items.CopyTo(i, o);
            if (t is not null && p.Count > 0) p.Timestamps!.CopyTo(t, o);
            if (w is not null && p.Count > 0) p.Weights!.CopyTo(w, o);
            o += p.Count;
        }
        return new Interactions(u, i, t, w);
    }
}
