using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cli;

public class RecommendCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void AnswersInRawIdsWithFiltersAsTheFittedRecommenderDoes()
    {
        var dir = TestPaths.NewTempDir();
        var synthetic = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 80, Seed = 5 });
        var data = synthetic with
        {
            UserRawIds = Enumerable.Range(0, synthetic.NumUsers).Select(u => $"u{u}").ToArray(),
            ItemRawIds = Enumerable.Range(0, synthetic.NumItems).Select(i => $"i{i}").ToArray(),
        };
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(data, folder);
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, Run("train", "--data", folder, "--model", "mf", "--dim", "8", "--epochs", "2", "--eval-every", "0", "--device", "cpu", "--out", run).Code);

        var (code, output, err) = Run("recommend", "--data", folder, "--run", run, "--user", "u7", "--k", "5", "--json");
        Assert.True(code == 0, err);
        var items = JsonNode.Parse(output)!["items"]!.AsArray().Select(x => x!["item"]!.GetValue<string>()).ToArray();
        using var rec = RunFolderRecommender.Load(run, DatasetFolder.Read(folder), Tc.Catalog);
        var want = rec.Recommend(new RecommendRequest { User = 7, K = 5 }).Items.Select(i => $"i{i}").ToArray();
        Assert.Equal(want, items);

        (code, output, err) = Run("recommend", "--data", folder, "--run", run, "--user", "u7", "--k", "3", "--allow", "i1,i2,i3,i4,i5,i6", "--exclude", "i2", "--json");
        Assert.True(code == 0, err);
        var filtered = JsonNode.Parse(output)!["items"]!.AsArray().Select(x => x!["item"]!.GetValue<string>()).ToArray();
        Assert.All(filtered, i => Assert.Contains(i, new[] { "i1", "i3", "i4", "i5", "i6" }));
        var seen = data.Train.Users.Select((u, r) => (u, r)).Where(x => x.u == 7).Select(x => $"i{data.Train.Items[x.r]}");
        Assert.Empty(filtered.Intersect(seen));

        (code, output, err) = Run("recommend", "--data", folder, "--run", run, "--similar-to", "i3", "--k", "4");
        Assert.True(code == 0, err);
        Assert.Equal(4, output.Trim().Split('\n').Length);
        Assert.DoesNotContain(" i3 ", output);

        (code, _, err) = Run("recommend", "--data", folder, "--run", run, "--user", "nobody");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--user", err);
    }

    [Fact]
    public void Prints_each_items_attributes_and_filters_on_them()
    {
        var dir = TestPaths.NewTempDir();
        var synthetic = SyntheticGenerator.Generate(new SyntheticOptions { Users = 40, Items = 30, Communities = 3, Seed = 6 });
        // Every item is "shade"; items divisible by 3 are also "brand-x".
        var items = Enumerable.Range(0, 30).SelectMany(i => i % 3 == 0 ? new[] { i, i } : [i]).ToArray();
        var attrs = Enumerable.Range(0, 30).SelectMany(i => i % 3 == 0 ? new[] { 0, 1 } : [0]).ToArray();
        var data = synthetic with { Attributes = new ItemAttributes(items, attrs, ["shade", "brand-x"]) };
        var folder = Path.Combine(dir, "data");
        DatasetFolder.Write(data, folder);
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, CliHarness.Run("train", "--data", folder, "--model", "mf", "--dim", "8", "--epochs", "1", "--eval-every", "0", "--device", "cpu", "--out", run).Code);

        var (code, output, err) = Run("recommend", "--data", folder, "--run", run, "--user", "2", "--k", "4", "--attributes", "brand-x", "--json");
        Assert.True(code == 0, err);
        var answer = JsonNode.Parse(output)!["items"]!.AsArray();
        Assert.Equal(4, answer.Count);
        Assert.All(answer, x =>
        {
            Assert.Equal(0, int.Parse(x!["item"]!.GetValue<string>()) % 3);
            Assert.Equal(["shade", "brand-x"], x["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        });
        (code, output, err) = Run("recommend", "--data", folder, "--run", run, "--user", "2", "--k", "3");
        Assert.True(code == 0, err);
        Assert.Contains("shade", output);

        (code, _, err) = Run("recommend", "--data", folder, "--run", run, "--user", "2", "--attributes", "brand-y");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("brand-y", err);
    }
}
