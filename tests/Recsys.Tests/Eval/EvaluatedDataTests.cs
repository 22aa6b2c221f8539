using Recsys.Data;
using Recsys.Eval;
using Recsys.Eval.Significance;

namespace Recsys.Tests.Eval;

public class EvaluatedDataTests
{
    private static Dataset Tiny(Interactions test, Interactions? valid = null, string name = "tiny") => new()
    {
        Name = name, NumUsers = 3, NumItems = 4,
        Train = new Interactions([0, 1, 2], [0, 1, 2]),
        Valid = valid,
        Test = test,
    };

    [Fact]
    public void RowOrderDoesNotMatterButEveryPartOfTheSplitDoes()
    {
        var options = new EvaluationOptions();
        var a = EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 3])), options);
        Assert.Equal(a, EvaluatedData.Of(Tiny(new Interactions([1, 0], [3, 2])), options));
        Assert.Null(a.DifferenceFrom(EvaluatedData.Of(Tiny(new Interactions([1, 0], [3, 2])), options)));
        Assert.NotEqual(a.Sha256, EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 0])), options).Sha256);
        Assert.NotEqual(a.Sha256, EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 3]), valid: new Interactions([2], [3])), options).Sha256);
        Assert.Contains("held-out items 'all' vs 'cold'",
            a.DifferenceFrom(EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 3])), options with { Items = HeldOutItems.Cold })));
        Assert.Contains("dataset 'tiny' vs 'other'", a.DifferenceFrom(EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 3]), name: "other"), options)));
    }

    [Fact]
    public void ComparisonRefusesDifferentDataAndDisjointMetrics()
    {
        var options = new EvaluationOptions();
        var d1 = EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 3])), options);
        var d2 = EvaluatedData.Of(Tiny(new Interactions([0, 1], [3, 3])), options);
        var a = new EvaluationResult(["recall@20"], [0, 1], [[0.5, 1]], 1) { Data = d1 };
        var b = new EvaluationResult(["recall@20"], [0, 1], [[0.5, 0]], 1) { Data = d2 };
        Assert.Contains("different data", Assert.Throws<ArgumentException>(() => ResultComparison.Compare(a, b)).Message);
        var c = new EvaluationResult(["ndcg@20"], [0, 1], [[0.5, 0]], 1) { Data = d1 };
        Assert.Contains("share no metric", Assert.Throws<ArgumentException>(() => ResultComparison.Compare(a, c)).Message);
    }

    [Fact]
    public void FingerprintSurvivesSaveAndLoad()
    {
        var dir = Path.Combine(Recsys.Tests.Infrastructure.TestPaths.NewTempDir(), "r");
        var data = EvaluatedData.Of(Tiny(new Interactions([0, 1], [2, 3])), new EvaluationOptions { Split = EvalSplit.Test });
        EvaluationResultFolder.Save(new EvaluationResult(["recall@20"], [0], [[1.0]], 1) { Data = data }, dir);
        Assert.Equal(data, EvaluationResultFolder.Load(dir).Data);
    }
}
