using System.Runtime.CompilerServices;
using Recsys.Data;
using Recsys.Graphs;
using Recsys.Retrieval.Mips;

namespace Recsys.Eval.Baselines;

/// <summary>Options of <see cref="ItemKnn"/>.</summary>
public sealed record ItemKnnOptions
{
    /// <summary>Neighbours kept per item (the N most cosine-similar items).</summary>
    public int Neighbours { get; init; } = 100;

    public void Validate()
    {
        if (Neighbours < 1) throw new ArgumentOutOfRangeException(nameof(Neighbours), $"must be ≥ 1, got {Neighbours}.");
    }
}

/// <summary>
/// Cosine item-KNN on the binary training matrix (Sarwar et al. 2001; as in implicit's ItemItemRecommender):
/// sim(i, j) = |U(i) ∩ U(j)| / √(|U(i)|·|U(j)|), keep each item's top-N neighbours (ties → lower id, no self),
/// and score(u, i) = Σ_{j ∈ train(u)} sim(j → i), where sim(j → i) is kept when i is among j's neighbours.
/// Needs no training; fitting costs Σ_u deg(u)² operations.
/// </summary>
public sealed class ItemKnn : IUserScorer
{
    private readonly InteractionMatrix _train;

    private ItemKnn(InteractionMatrix train, CsrMatrix similarity)
    {
        _train = train; Similarity = similarity;
    }

    /// <summary>Row j = item j's neighbours (ids ascending) and their cosine similarities, [NumItems × NumItems].</summary>
    public CsrMatrix Similarity { get; }

    public int NumItems => _train.NumItems;

    public static ItemKnn Fit(InteractionMatrix train, ItemKnnOptions options)
    {
        options.Validate();
        int items = train.NumItems;
        var deg = train.ItemDegrees();
        var nbrIds = new int[items][];
        var nbrSims = new float[items][];
        var job = new FitJob(train, deg, options.Neighbours, nbrIds, nbrSims);
        int chunks = Math.Max(1, Math.Min(items / 64, Environment.ProcessorCount * 8));
        Parallel.For(0, chunks, c => FitItems(job, (int)((long)items * c / chunks), (int)((long)items * (c + 1) / chunks)));

        var ptr = new int[items + 1];
        for (int i = 0; i < items; i++) ptr[i + 1] = ptr[i] + nbrIds[i].Length;
        var col = new int[ptr[items]];
        var val = new float[ptr[items]];
        for (int i = 0; i < items; i++)
        {
            nbrIds[i].CopyTo(col, ptr[i]);
            nbrSims[i].CopyTo(val, ptr[i]);
        }
        return new ItemKnn(train, new CsrMatrix(items, items, ptr, col, val));
    }

    public void Score(ReadOnlySpan<int> users, Span<float> scores)
    {
        int items = NumItems;
        if (scores.Length != (long)users.Length * items) throw new ArgumentException($"scores hold {scores.Length} values, expected {users.Length} × {items}.");
        scores.Clear();
        var ptr = Similarity.RowPtr; var col = Similarity.ColIdx; var val = Similarity.Values;
        for (int r = 0; r < users.Length; r++)
        {
            var row = scores.Slice(r * items, items);
            foreach (int j in _train.ItemsOf(users[r]))
                for (int k = ptr[j]; k < ptr[j + 1]; k++) row[col[k]] += val[k];
        }
    }

    private sealed record FitJob(InteractionMatrix Train, int[] Degrees, int Neighbours, int[][] Ids, float[][] Sims);

    /// <summary>Co-occurrence counts of items [i0, i1) with every other item, turned into top-N cosine lists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FitItems(FitJob job, int i0, int i1)
    {
        var train = job.Train;
        var counts = new int[train.NumItems];
        var touched = new List<int>();
        int n = job.Neighbours;
        var heapIds = new int[n];
        var heapSims = new float[n];
        for (int i = i0; i < i1; i++)
        {
            touched.Clear();
            foreach (int u in train.UsersOf(i))
                foreach (int j in train.ItemsOf(u))
                    if (j != i && counts[j]++ == 0) touched.Add(j);
            int size = 0;
            double di = job.Degrees[i];
            foreach (int j in touched)
            {
                float sim = (float)(counts[j] / Math.Sqrt(di * job.Degrees[j]));
                counts[j] = 0;
                TopK.Push(heapIds, heapSims, ref size, j, sim);
            }
            // Keep the neighbours sorted by id so score rows are written in memory order.
            var ids = heapIds.AsSpan(0, size).ToArray();
            var sims = heapSims.AsSpan(0, size).ToArray();
            Array.Sort(ids, sims);
            job.Ids[i] = ids;
            job.Sims[i] = sims;
        }
    }
}
