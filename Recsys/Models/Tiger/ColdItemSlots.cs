using Recsys.Data.SemanticIds;

namespace Recsys.Models;

/// <summary>
/// TIGER's cold-start rule (Rajput et al. 2023, §4.2) over any generator whose items have semantic IDs: up to ⌊ε·K⌋
/// of each user's K slots go to items without training interactions whose code prefix — every semantic level, the
/// disambiguation code left out — equals that of a generated item. Walking the generated list best first, each
/// generated item is followed by the cold items it matches (lowest id first, excluded and already listed items
/// skipped) while the quota lasts; a cold item takes the score of the item it matched, and the generated items it
/// displaces drop off the end of the list. A model that never writes a cold item's full tuple (it was never a training
/// target) can still place it this way, through the shared prefix.
/// </summary>
public sealed class ColdItemSlots : IItemGenerator
{
    private readonly IItemGenerator _inner;
    /// <summary>Per item: the index in <see cref="_coldGroups"/> of the cold items sharing its prefix, −1 when none does.</summary>
    private readonly int[] _groupOf;
    private readonly int[][] _coldGroups;

    /// <param name="inner">The generator whose lists get cold slots.</param>
    /// <param name="codes">The catalog's codes (one tuple per item).</param>
    /// <param name="cold">Items without training interactions, [codes.NumItems].</param>
    /// <param name="share">ε, the largest share of a list given to cold items, in [0, 1].</param>
    public ColdItemSlots(IItemGenerator inner, SemanticIdCodes codes, bool[] cold, double share)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(cold);
        if (cold.Length != codes.NumItems) throw new ArgumentException($"the cold-item mask has {cold.Length} entries for {codes.NumItems} coded items.", nameof(cold));
        if (!(share >= 0 && share <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "must be in [0, 1].");
        Share = share;
        string Prefix(int item) => string.Join(',', codes.Of(item)[..codes.Levels].ToArray());
        var index = new Dictionary<string, int>();
        var groups = new List<List<int>>();
        for (int i = 0; i < cold.Length; i++)
            if (cold[i])
            {
                var key = Prefix(i);
                if (!index.TryGetValue(key, out int g)) { index[key] = g = groups.Count; groups.Add([]); }
                groups[g].Add(i);
            }
        _coldGroups = groups.Select(g => g.ToArray()).ToArray();
        _groupOf = new int[cold.Length];
        for (int i = 0; i < _groupOf.Length; i++) _groupOf[i] = _coldGroups.Length > 0 && index.TryGetValue(Prefix(i), out int g) ? g : -1;
        ColdItems = cold.Count(c => c);
    }

    /// <summary>ε: the largest share of a list given to cold items.</summary>
    public double Share { get; }

    /// <summary>Items without training interactions the rule can place.</summary>
    public int ColdItems { get; }

    public int Beam => _inner.Beam;

    public (int[] Ids, float[] Scores) Generate(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, int k, IReadOnlyList<int[]>? exclude)
    {
        var (ids, scores) = _inner.Generate(users, histories, k, exclude);
        int quota = (int)Math.Floor(Share * k + 1e-9);
        if (quota == 0 || _coldGroups.Length == 0) return (ids, scores);
        var outIds = new int[ids.Length];
        var outScores = new float[scores.Length];
        var listed = new HashSet<int>();
        for (int q = 0; q < users.Count; q++)
        {
            var row = ids.AsSpan(q * k, k);
            var excluded = exclude?[q] is { } e ? new HashSet<int>(e) : null;
            listed.Clear();
            foreach (int id in row) if (id >= 0) listed.Add(id);
            int n = 0, used = 0;
            for (int r = 0; r < k && n < k; r++)
            {
                int item = row[r];
                if (item < 0) break;
                float score = scores[q * k + r];
                outIds[q * k + n] = item; outScores[q * k + n] = score; n++;
                if (used == quota || _groupOf[item] < 0) continue;
                foreach (int c in _coldGroups[_groupOf[item]])
                {
                    if (used == quota || n == k) break;
                    if (excluded?.Contains(c) == true || !listed.Add(c)) continue;
                    outIds[q * k + n] = c; outScores[q * k + n] = score; n++; used++;
                }
            }
            outIds.AsSpan(q * k + n, k - n).Fill(-1);
            outScores.AsSpan(q * k + n, k - n).Fill(float.NegativeInfinity);
        }
        return (outIds, outScores);
    }
}
