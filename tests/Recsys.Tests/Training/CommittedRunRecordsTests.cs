using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Training;

/// <summary>Every run.json committed under Eval/results still reads through the catalog and writes back the same JSON.</summary>
public class CommittedRunRecordsTests
{
    public static TheoryData<string> Files()
    {
        var d = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "Eval", "results"), "*run.json", SearchOption.AllDirectories).Order())
            d.Add(Path.GetRelativePath(TestPaths.RepoRoot, f));
        return d;
    }

    [Theory, MemberData(nameof(Files))]
    public void ReadsAndRoundTrips(string relative)
    {
        var path = Path.Combine(TestPaths.RepoRoot, relative);
        var record = RunRecord.FromJson(File.ReadAllText(path), path, Tc.Catalog);
        Assert.NotNull(Tc.Catalog.ModelOf(record.Model));
        Assert.NotNull(Tc.Catalog.TableOf(record.Model.UserTable));
        var again = RunRecord.FromJson(record.ToJson(Tc.Catalog), path, Tc.Catalog);
        Assert.Equal(record.ToJson(Tc.Catalog), again.ToJson(Tc.Catalog));
    }
}
