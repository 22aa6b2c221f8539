namespace Recsys.Models;

/// <summary>A run of consecutive batch rows that share one relation.</summary>
public readonly record struct RelationRun(int Relation, int Start, int Count)
{
    /// <summary>The runs of <paramref name="relations"/>[start..start+len) (already ordered by relation).</summary>
    public static RelationRun[] Of(int[] relations, int start, int len)
    {
        var runs = new List<RelationRun>();
        for (int i = 0; i < len;)
        {
            int r = relations[start + i], j = i + 1;
            while (j < len && relations[start + j] == r) j++;
            runs.Add(new RelationRun(r, i, j - i));
            i = j;
        }
        return runs.ToArray();
    }
}
