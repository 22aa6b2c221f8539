using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Ranking;

namespace Recsys.Tests.Retrieval;

/// <summary><see cref="LightGbmRanker.ScoreBatch"/> (one data view for many users) gives exactly <see cref="LightGbmRanker.Score"/>'s scores.</summary>
public class LambdaRankBatchTests
{
    [Fact]
    public void BatchScoresEqualEachUsersScoresWithUserRows()
    {
        var (f, histories, items) = LambdaRankTests.Synthetic();
        using var index = new ExactCpuMipsIndex(items, 4);
        using var ranker = LightGbmRanker.Fit(f, RankerExampleSet.HeldOutTraining(histories), index, LambdaRankTests.Small);
        int[] users = [7, 0, 33, 7, 79, 12];
        int[][] hist = [histories[7], histories[0], [], histories[7][..2], histories[79], histories[12]];
        int[][] candidates = [[5, 17, 3, 28, 11, 0, 9], Enumerable.Range(0, 30).ToArray(), [4], [9, 5, 17], [], [29, 1]];
        var batch = ranker.ScoreBatch(users, hist, candidates);
        Assert.Equal(users.Length, batch.Length);
        for (int q = 0; q < users.Length; q++) Assert.Equal(ranker.Score(users[q], hist[q], candidates[q]), batch[q]);
        Assert.True(batch[1].Distinct().Count() > 1, "the ranker scores every candidate alike: it learned nothing");
        Assert.Empty(batch[4]);

        // Concurrent batches (evaluation blocks, coalesced serving requests) give the same answers.
        var sequential = Enumerable.Range(0, 16).Select(t => ranker.ScoreBatch(users.Skip(t % 3).ToArray(), hist.Skip(t % 3).ToArray(), candidates.Skip(t % 3).ToArray())).ToArray();
        var parallel = new float[16][][];
        Parallel.For(0, 16, t => parallel[t] = ranker.ScoreBatch(users.Skip(t % 3).ToArray(), hist.Skip(t % 3).ToArray(), candidates.Skip(t % 3).ToArray()));
        for (int t = 0; t < 16; t++) Assert.Equal(sequential[t], parallel[t]);

        Assert.Throws<ArgumentException>(() => ranker.ScoreBatch([0, 1], [[1]], [[2], [3]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ranker.ScoreBatch([0], [[1]], [[30]]));
        Assert.Empty(ranker.ScoreBatch([], [], []));
    }

    [Fact]
    public void BatchScoresEqualEachUsersScoresWithAnEncoder()
    {
        // The same first stage without user rows: queries come from a history encoder, several histories per call.
        var (_, histories, items) = LambdaRankTests.Synthetic();
        var encoder = new MeanEncoder(items, 4);
        var snapshot = new ModelSnapshot(new ModelEmbeddings([], items, 4)) { Encoder = encoder };
        var x = new Interactions(histories.SelectMany((h, u) => h.Select(_ => u)).ToArray(), histories.SelectMany(h => h).ToArray());
        var f = new CandidateFeatures(snapshot, InteractionMatrix.From(x, histories.Length, 30), UserHistories.From(x, histories.Length, 30), null);
        using var index = new ExactCpuMipsIndex(items, 4);
        using var ranker = LightGbmRanker.Fit(f, RankerExampleSet.HeldOutTraining(histories), index, LambdaRankTests.Small);
        int[] users = [-1, 3, -1, 50];
        int[][] hist = [histories[7], histories[3], [2, 2, 8], histories[50][..1]];
        int[][] candidates = [[5, 17, 3, 28], Enumerable.Range(0, 30).ToArray(), [0, 1], [12, 6, 4]];
        int calls = encoder.Calls;
        var batch = ranker.ScoreBatch(users, hist, candidates);
        Assert.Equal(calls + 1, encoder.Calls);   // one encoder call for the whole batch
        for (int q = 0; q < users.Length; q++) Assert.Equal(ranker.Score(users[q], hist[q], candidates[q]), batch[q]);
        Assert.True(batch[1].Distinct().Count() > 1, "the ranker scores every candidate alike: it learned nothing");
    }

    /// <summary>Query = mean of the history's item vectors: the same vector alone and in a batch (a deterministic encoder).</summary>
    private sealed class MeanEncoder(float[] items, int dim) : IUserEncoder
    {
        private int _calls;
        public int Calls => _calls;
        public int Dim => dim;

        public float[] Encode(IReadOnlyList<int[]> histories)
        {
            Interlocked.Increment(ref _calls);
            var q = new float[histories.Count * dim];
            for (int u = 0; u < histories.Count; u++)
            {
                foreach (int i in histories[u])
                    for (int t = 0; t < dim; t++) q[u * dim + t] += items[i * dim + t] / histories[u].Length;
            }
            return q;
        }
    }
}
