using System.CommandLine;
using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Cli.Commands;
using Recsys.Data;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings;

public class EmbeddingCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = CliApp.Build();
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliRunner.Run(root, args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string TwoBlockDataset(string dir)
    {
        var us = new List<int>(); var its = new List<int>();
        for (int u = 0; u < 8; u++)
            for (int i = 0; i < 4; i++) { us.Add(u); its.Add((u / 4) * 4 + i); }
        var path = Path.Combine(dir, "data");
        DatasetFolder.Write(new Dataset { Name = "blocks", NumUsers = 8, NumItems = 8, Train = new Interactions(us.ToArray(), its.ToArray()), Test = Interactions.Empty }, path);
        return path;
    }

    [Fact]
    public void EmbedThenClassifyEdgeList()
    {
        var dir = TestPaths.NewTempDir();
        var edges = Path.Combine(dir, "edges.csv");
        var labels = Path.Combine(dir, "labels.csv");
        // Two 12-cliques (ids 1..24), labelled by clique.
        var lines = new List<string>();
        for (int c = 0; c < 2; c++)
            for (int i = 1; i <= 12; i++)
                for (int j = i + 1; j <= 12; j++) lines.Add($"{c * 12 + i},{c * 12 + j}");
        File.WriteAllLines(edges, lines);
        File.WriteAllLines(labels, Enumerable.Range(1, 24).Select(i => $"{i},{(i <= 12 ? "A" : "B")}"));
        var npy = Path.Combine(dir, "e.npy");
        var r = Run("embed", "fastrp", "--edges", edges, "--dim", "32", "--weights", "0,1,1", "--beta", "0", "--seed", "1", "--out", npy, "--json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(24, JsonNode.Parse(r.Out)!["nodes"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, 24).ToArray(), NpyFile.ReadInt32(Path.Combine(dir, "e.ids.npy"), out _, out _));
        var c2 = Run("eval", "node-classification", "--embeddings", npy, "--labels", labels, "--train-ratio", "0.5", "--repeats", "2", "--json");
        Assert.True(c2.Code == 0, c2.Err);
        Assert.Equal(1.0, JsonNode.Parse(c2.Out)!["microF1"]!.GetValue<double>(), 6);
    }

    [Fact]
    public void ClusterAndCompressDataset()
    {
        var dir = TestPaths.NewTempDir();
        var data = TwoBlockDataset(dir);
        var labelsPath = Path.Combine(dir, "labels.npy");
        var r = Run("cluster", "louvain", "--data", data, "--bipartite", "--seed", "3", "--out", labelsPath, "--json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(0.5, JsonNode.Parse(r.Out)!["modularity"]!.GetValue<double>(), 9);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1], NpyFile.ReadInt32(labelsPath, out _, out _));
        var map = Path.Combine(dir, "map.npy");
        var c = Run("compress", "graphhash", "--data", data, "--resolution", "1", "--out", map);
        Assert.True(c.Code == 0, c.Err);
        Assert.Contains("4.00×", c.Out);
        Assert.Equal(16, NpyFile.ReadInt32(map, out _, out _).Length);
        var embed = Run("embed", "fastrp", "--data", data, "--dim", "8", "--out", Path.Combine(dir, "e.arrow"));
        Assert.True(embed.Code == 0, embed.Err);
    }

    [Fact]
    public void BadArgumentsExitWithTwo()
    {
        var r = Run("embed", "fastrp", "--out", "x.npy");
        Assert.Equal(CliRunner.BadInput, r.Code);
        Assert.Contains("--data", r.Err);
    }
}
