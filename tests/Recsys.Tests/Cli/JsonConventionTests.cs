using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recsys.Cli;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.IO;

namespace Recsys.Tests.Cli;

/// <summary>Every --json output uses camelCase keys; metric keys keep their name@K form.</summary>
public partial class JsonConventionTests
{
    [GeneratedRegex("^([a-z][A-Za-z0-9]*|[a-z_]+@[0-9]+)$")]
    private static partial Regex KeyPattern();

    private static JsonNode RunJson(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliRunner.Run(CliApp.Build(), [.. args, "--json"], o, e);
        Assert.True(code == 0, $"{string.Join(' ', args)}: {e}");
        return JsonNode.Parse(o.ToString())!;
    }

    private static void AssertCamelCase(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Assert.True(KeyPattern().IsMatch(key), $"{where}: key '{key}' is not camelCase");
                    // Objects keyed by metric name hold camelCase fields too.
                    AssertCamelCase(value, where);
                }
                break;
            case JsonArray a:
                foreach (var item in a) AssertCamelCase(item, where);
                break;
        }
    }

    [Fact]
    public void EveryVerbPrintsCamelCaseKeys()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        string P(string name) => Path.Combine(dir, name);
        var outputs = new Dictionary<string, JsonNode>
        {
            ["generate"] = RunJson("generate", "--out", data, "--users", "60", "--items", "40", "--communities", "2", "--kg"),
            ["data info"] = RunJson("data", "info", data),
            ["data split"] = RunJson("data", "split", data, "--method", "random", "--out", P("split")),
            ["eval"] = RunJson("eval", "--data", data, "--model", "pop", "--k", "5", "--out", P("a")),
            ["embed"] = RunJson("embed", "fastrp", "--data", data, "--dim", "8", "--out", P("e.npy")),
            ["compress"] = RunJson("compress", "graphhash", "--data", data, "--resolution", "1", "--out", P("rows.npy")),
            ["cluster"] = RunJson("cluster", "louvain", "--data", data, "--out", P("labels.npy")),
        };
        outputs["train"] = RunJson("train", "--data", data, "--model", "mf", "--dim", "4", "--epochs", "1", "--eval-every", "1", "--device", "cpu", "--out", P("run"));
        outputs["bench train"] = RunJson("bench", "train", "--data", data, "--model", "mf", "--dim", "4", "--breakdown", "--batches", "1");
        RunJson("eval", "--data", data, "--model", "itemknn", "--k", "5", "--out", P("b"));
        outputs["compare"] = RunJson("compare", P("a"), P("b"));
        File.WriteAllBytes(P("q.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1], 2, 2));
        File.WriteAllBytes(P("i.npy"), EmbeddingFileTests.NumpyBytes([1, 0, 0, 1, 1, 1], 3, 2));
        outputs["retrieve"] = RunJson("retrieve", "--queries", P("q.npy"), "--items", P("i.npy"), "--k", "1", "--out", P("top.npy"));
        foreach (var (verb, json) in outputs) AssertCamelCase(json, verb);
        Assert.NotNull(outputs["compare"]["metrics"]!["recall@5"]!["wilcoxonP"]);
    }
}
