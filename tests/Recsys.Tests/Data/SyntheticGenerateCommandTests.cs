using System.Text.Json.Nodes;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

/// <summary><c>recsys generate</c> run in-process.</summary>
public class SyntheticGenerateCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Generate_writes_a_readable_folder_and_one_json_object()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "syn");
        var (code, stdout, stderr) = Run("generate", "--out", dir, "--users", "120", "--items", "90", "--communities", "3",
            "--seed", "5", "--kg", "--kg-only-fraction", "0.1", "--attributes", "--json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!.AsObject();
        var d = DatasetFolder.Read(dir);
        Assert.Equal(120, d.NumUsers);
        Assert.Equal(90, d.NumItems);
        Assert.Equal(d.Train.Count, (int)json["train"]!);
        Assert.Equal(d.Test.Count, (int)json["test"]!);
        Assert.Equal(d.Knowledge!.Count, (int)json["kg"]!["triples"]!);
        Assert.Equal(5, (int)json["seed"]!);
        Assert.Equal(2 * 90, d.Attributes!.Count); // a genre and an artist per item

        var again = Run("generate", "--out", dir, "--users", "120");
        Assert.Equal(CliRunner.BadInput, again.Code);
        Assert.Contains("--force", again.Err);
        var forced = Run("generate", "--out", dir, "--users", "120", "--items", "90", "--communities", "3", "--force");
        Assert.Equal(0, forced.Code);
        Assert.Contains("120 users", forced.Out);
    }

    [Fact]
    public void Bad_option_exits_with_bad_input()
    {
        var (code, _, err) = Run("generate", "--out", Path.Combine(TestPaths.NewTempDir(), "x"), "--kg-only-fraction", "0.3");
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--kg-only-fraction: ", err);
    }
}
