using Recsys.Eval;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Eval;

public class EmbeddingValidationScorerTests
{
    [Fact]
    public void ScoresLikeTheEvaluatorAndChecksThePrimaryMetric()
    {
        var d = FullRankingEvaluatorTests.RandomDataset(30, 50, seed: 4);
        var ue = FullRankingEvaluatorTests.RandomMatrix(30, 4, 1);
        var ie = FullRankingEvaluatorTests.RandomMatrix(50, 4, 2);
        var ev = FullRankingEvaluator.ForDataset(d, new EvaluationOptions { Ks = [10], Split = EvalSplit.Valid });
        var scorer = new EmbeddingValidationScorer(ev, "ndcg@10");
        var means = scorer.Score(new Recsys.Models.ModelSnapshot(new Recsys.Models.ModelEmbeddings(ue, ie, 4)));
        using var index = new BruteForceMipsIndex(ie, 4);
        Assert.Equal(ev.Evaluate(index, ue).Mean("ndcg@10"), means["ndcg@10"], 12);
        Assert.Equal("valid", scorer.Split);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingValidationScorer(ev, "recall@20"));
    }
}
