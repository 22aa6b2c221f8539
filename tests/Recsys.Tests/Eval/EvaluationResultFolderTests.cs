using System.Text.Json.Nodes;
using Recsys.Eval;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval;

public class EvaluationResultFolderTests
{
    [Fact]
    public void JsonHasExactlyTheMetricKeysUsersAndSeconds()
    {
        string[] keys = ["recall@20", "ndcg@20", "precision@20", "hit@20", "mrr@20", "map@20"];
        var r = new EvaluationResult(keys, [4, 7], keys.Select((_, m) => new[] { 0.1 * m, 0.3 }).ToArray(), 1.23456);
        var json = r.ToJson();
        Assert.Equal(keys.Append("users").Append("seconds"), json.Select(p => p.Key));
        Assert.Equal(2, json["users"]!.GetValue<int>());
        Assert.Equal(0.2, json["ndcg@20"]!.GetValue<double>(), 12);   // ndcg is key 1: values [0.1, 0.3]
        Assert.Equal(1.235, json["seconds"]!.GetValue<double>());
    }

    [Fact]
    public void SaveLoadRoundTrip()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "result");
        var r = new EvaluationResult(["recall@20", "ndcg@20"], [0, 3, 5], [[0.5, 0, 1], [0.25, 1.0 / 3, 0.125]], 2.5);
        EvaluationResultFolder.Save(r, dir);
        Assert.True(File.Exists(Path.Combine(dir, "metrics.json")));
        var loaded = EvaluationResultFolder.Load(dir);
        Assert.Equal(r.Keys, loaded.Keys);
        Assert.Equal(r.Users, loaded.Users);
        Assert.Equal(r.PerUser("ndcg@20"), loaded.PerUser("ndcg@20"));
        Assert.Equal(2.5, loaded.Seconds);
        // per_user.arrow: user:int32 + one float64 column per key.
        using var t = ArrowTable.Open(Path.Combine(dir, "per_user.arrow"));
        Assert.Equal(new[] { "user", "recall@20", "ndcg@20" }, t.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal("double", t.Schema.GetFieldByName("ndcg@20").DataType.Name);
        var m = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        Assert.Equal(0.5, m["recall@20"]!.GetValue<double>(), 12);
        // A second save refuses to replace the folder unless asked.
        Assert.Throws<IOException>(() => EvaluationResultFolder.Save(r, dir));
        EvaluationResultFolder.Save(r, dir, overwrite: true);
    }
}
