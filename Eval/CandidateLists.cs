using Recsys.Retrieval.Mips;

namespace Recsys.Eval;

/// <summary>
/// Ordered item-id lists per user, as a multi-stage pipeline (retrieval → ranker) hands them to
/// <see cref="FullRankingEvaluator.Evaluate(CandidateLists, CancellationToken)"/>: row i is the ranking of user
/// <c>Users[i]</c>, best first, <see cref="K"/> entries, padded with −1 after its last item. Row-major [Users.Count, K].
/// <example>Users [3, 7], K 3, Items [5, 1, −1, 2, 9, 4]: user 3 ranked item 5 then item 1; user 7 ranked 2, 9, 4.</example>
/// </summary>
public sealed class CandidateLists
{
    private readonly int[] _users;
    private readonly int[] _items;
    private readonly Dictionary<int, int> _rowOf;

    /// <param name="users">Distinct user ids ≥ 0, one per row (copied).</param>
    /// <param name="k">Entries per row (≥ 1).</param>
    /// <param name="items">Row-major [users.Length, k] item ids; −1 pads a row's tail (copied).</param>
    public CandidateLists(ReadOnlySpan<int> users, int k, ReadOnlySpan<int> items)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "must be ≥ 1.");
        if (items.Length != (long)users.Length * k)
            throw new ArgumentException($"items hold {items.Length} ids, expected {users.Length} users × {k}.", nameof(items));
        _users = users.ToArray();
        _items = items.ToArray();
        K = k;
        _rowOf = new Dictionary<int, int>(_users.Length);
        for (int i = 0; i < _users.Length; i++)
        {
            if (_users[i] < 0) throw new ArgumentOutOfRangeException(nameof(users), _users[i], "user ids must be ≥ 0.");
            if (!_rowOf.TryAdd(_users[i], i)) throw new ArgumentException($"user {_users[i]} has two rows.", nameof(users));
        }
        foreach (int id in _items)
            if (id < -1) throw new ArgumentOutOfRangeException(nameof(items), id, "item ids must be ≥ 0, or −1 for padding.");
    }

    /// <summary>The lists of an index search: row q of <paramref name="result"/> is the ranking of <paramref name="users"/>[q].</summary>
    public static CandidateLists From(ReadOnlySpan<int> users, MipsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (users.Length != result.NumQueries) throw new ArgumentException($"{users.Length} users for {result.NumQueries} result rows.", nameof(users));
        return new CandidateLists(users, result.K, result.Ids);
    }

    /// <summary>Entries per row.</summary>
    public int K { get; }

    /// <summary>The user of each row.</summary>
    public IReadOnlyList<int> Users => _users;

    /// <summary>Row of <paramref name="user"/>, or an empty span when the user has no list.</summary>
    public ReadOnlySpan<int> Of(int user) => _rowOf.TryGetValue(user, out int r) ? _items.AsSpan(r * K, K) : ReadOnlySpan<int>.Empty;
}
