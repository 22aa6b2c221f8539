using Recsys.Eval.Quickstart;
using Recsys.Serving;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval;

/// <summary>What <c>recsys serve</c> without <c>--run</c> serves: the quickstart model, trained once and reused.</summary>
public sealed class QuickstartModelTests
{
    [Fact]
    public void Trains_once_then_serves_the_saved_model()
    {
        var folder = Path.Combine(TestPaths.NewTempDir(), "quickstart");
        var (run, data, trained) = QuickstartModel.Ensure(folder, Tc.Catalog);
        Assert.True(trained);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(run, "model.bin"));
        var again = QuickstartModel.Ensure(folder, Tc.Catalog);
        Assert.False(again.Trained);
        Assert.Equal((run, data), (again.Run, again.Data));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(run, "model.bin")));

        using var service = new RecommendationService(ServingSnapshot.Load(run, data, Tc.Catalog));
        Assert.Equal(QuickstartModel.Kind, service.Model.Kind);
        var answer = service.Recommend(new RecommendQuery { User = "0", K = 5 });
        Assert.Equal(5, answer.Items.Count);
        Assert.Null(answer.Fallback);
    }
}
