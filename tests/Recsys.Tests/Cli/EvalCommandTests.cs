using System.CommandLine;
using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.IO;

namespace Recsys.Tests.Cli;

public class EvalCommandTests
{
    private static RootCommand Root() => CliApp.Build();

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliRunner.Run(Root(), args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The hand-solved case of FullRankingEvaluatorTests.HandSolvedTwoUsers as a dataset folder + numpy files.</summary>
    private static string Setup()
    {
        var dir = TestPaths.NewTempDir();
        DatasetFolder.Write(new Dataset
        {
            Name = "tiny", NumUsers = 3, NumItems = 4,
            Train = new Interactions([0, 1, 2], [0, 1, 2]),
            Test = new Interactions([0, 0, 1], [2, 3, 0]),
        }, Path.Combine(dir, "data"));
        File.WriteAllBytes(Path.Combine(dir, "U.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 5, 5], 3, 2));
        File.WriteAllBytes(Path.Combine(dir, "I.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1, 0, 0], 4, 2));
        return dir;
    }

    [Fact]
    public void EvaluatesNumpyEmbeddingsAsJson()
    {
        var dir = Setup();
        var (code, stdout, stderr) = Run("eval", "--data", Path.Combine(dir, "data"),
            "--user-embeddings", Path.Combine(dir, "U.npy"), "--item-embeddings", Path.Combine(dir, "I.npy"), "--k", "1,2", "--json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(2, json["users"]!.GetValue<int>());
        Assert.Equal(0.25, json["recall@1"]!.GetValue<double>(), 12);
        Assert.Equal(0.75, json["recall@2"]!.GetValue<double>(), 12);
        Assert.Equal((1 / (1 + 1 / Math.Log2(3)) + 1 / Math.Log2(3)) / 2, json["ndcg@2"]!.GetValue<double>(), 12);
        Assert.Equal(0.75, json["mrr@2"]!.GetValue<double>(), 12);
        Assert.Equal(0.5, json["map@2"]!.GetValue<double>(), 12);
        Assert.Equal(0.5, json["precision@2"]!.GetValue<double>(), 12);
        Assert.Equal(1.0, json["hit@2"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void TableOutputSaveAndCompare()
    {
        var dir = Setup();
        var data = Path.Combine(dir, "data");
        var a = Path.Combine(dir, "a");
        var b = Path.Combine(dir, "b");
        var (code, stdout, stderr) = Run("eval", "--data", data, "--user-embeddings", Path.Combine(dir, "U.npy"),
            "--item-embeddings", Path.Combine(dir, "I.npy"), "--k", "2", "--legacy-ndcg", "--out", a);
        Assert.True(code == 0, stderr);
        Assert.Contains("ndcg_legacy", stdout);
        Assert.Contains("0.7500", stdout);          // recall@2 in the table
        Assert.Contains("2 users evaluated", stdout);
        Assert.True(File.Exists(Path.Combine(a, "per_user.arrow")));

        (code, _, stderr) = Run("eval", "--data", data, "--model", "pop", "--k", "2", "--out", b, "--json");
        Assert.True(code == 0, stderr);

        (code, stdout, stderr) = Run("compare", a, b, "--metric", "recall@2", "--json");
        Assert.True(code == 0, stderr);
        var cmp = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(2, cmp["users"]!.GetValue<int>());
        var m = cmp["metrics"]!["recall@2"]!;
        Assert.Equal(0.75, m["a"]!.GetValue<double>(), 12);
        Assert.Equal(m["b"]!.GetValue<double>() - 0.75, m["diff"]!.GetValue<double>(), 12);
        Assert.NotNull(m["wilcoxonP"]);

        (code, stdout, _) = Run("compare", a, b);
        Assert.Equal(0, code);
        Assert.Contains("Wilcoxon p", stdout);
        Assert.Contains("map@2", stdout);
    }

    [Fact]
    public void BadInputExitsWithTwo()
    {
        var dir = Setup();
        var data = Path.Combine(dir, "data");
        // Item file with 3 rows for a 4-item dataset.
        File.WriteAllBytes(Path.Combine(dir, "I3.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1], 3, 2));
        var (code, _, err) = Run("eval", "--data", data, "--user-embeddings", Path.Combine(dir, "U.npy"), "--item-embeddings", Path.Combine(dir, "I3.npy"));
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("4 items", err);
        (code, _, err) = Run("eval", "--data", data, "--model", "pop", "--k", "20,x");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--k", err);
        (code, _, _) = Run("eval", "--data", data, "--model", "pop", "--user-embeddings", Path.Combine(dir, "U.npy"), "--item-embeddings", Path.Combine(dir, "I.npy"));
        Assert.Equal(CliRunner.BadInput, code);
    }

    [Fact]
    public void Int8BackendRanksLikeTheExactKernelAndSaysSo()
    {
        var dir = Setup();
        string[] common = ["eval", "--data", Path.Combine(dir, "data"), "--user-embeddings", Path.Combine(dir, "U.npy"),
            "--item-embeddings", Path.Combine(dir, "I.npy"), "--k", "1,2", "--json"];
        var (code, exact, err) = Run(common);
        Assert.True(code == 0, err);
        // An over-fetch covering every item re-ranks all of them in fp32: the same ranking as the exact kernel.
        (code, var int8, err) = Run([.. common, "--backend", "int8", "--overfetch", "10"]);
        Assert.True(code == 0, err);
        var e = JsonNode.Parse(exact)!.AsObject();
        var q = JsonNode.Parse(int8)!.AsObject();
        foreach (var key in new[] { "recall@1", "recall@2", "ndcg@2", "mrr@2" })
            Assert.Equal(e[key]!.GetValue<double>(), q[key]!.GetValue<double>(), 12);
        Assert.StartsWith("cpu", e["scoring"]!.GetValue<string>());
        Assert.StartsWith("int8", q["scoring"]!.GetValue<string>());

        (code, var text, err) = Run([.. common[..^1], "--backend", "int8"]);
        Assert.True(code == 0, err);
        Assert.Contains("ranked by int8", text);
        (code, _, err) = Run([.. common, "--backend", "int8", "--overfetch", "0.5"]);
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--overfetch: ", err);
    }

    [Fact]
    public void FastRpOnTheKnowledgeGraphReachesColdItems()
    {
        // Synthetic data whose KG-only items never occur in training: FastRP on the user-item graph cannot rank them,
        // FastRP on the collaborative knowledge graph can.
        var data = Recsys.Data.Synthetic.SyntheticGenerator.Generate(new Recsys.Data.Synthetic.SyntheticOptions { Users = 200, Items = 150, WithKnowledgeGraph = true, KgOnlyFraction = 0.3, ValidRatio = 0 });
        var dir = Path.Combine(TestPaths.NewTempDir(), "kg");
        DatasetFolder.Write(data, dir);
        double Cold(params string[] extra)
        {
            var (code, stdout, err) = Run(["eval", "--data", dir, "--model", "fastrp", "--dim", "128", "--weights", "0,1,1,1", "--items", "cold", "--json", .. extra]);
            Assert.True(code == 0, err);
            return JsonNode.Parse(stdout)!["recall@20"]!.GetValue<double>();
        }
        double plain = Cold(), withKg = Cold("--kg");
        Assert.True(withKg > plain + 0.3, $"cold recall@20: user-item graph {plain:F3}, with KG {withKg:F3}");

        var noKg = Path.Combine(TestPaths.NewTempDir(), "nokg");
        DatasetFolder.Write(data with { Knowledge = null }, noKg);
        var (c, _, e) = Run("eval", "--data", noKg, "--model", "fastrp", "--kg");
        Assert.NotEqual(0, c);
        Assert.Contains("knowledge graph", e);
    }
}
