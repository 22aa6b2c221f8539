using Recsys.Cli;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Serving;

/// <summary><c>recsys serve</c>'s argument errors, which are reported before any model is loaded.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_is_a_verb_with_its_flags()
    {
        var (code, output, _) = CliHarness.Run("serve", "--help");
        Assert.Equal(0, code);
        foreach (var flag in new[] { "--run", "--data", "--quickstart-folder", "--port", "--host", "--admin-token", "--reload-root", "--max-k", "--backend", "--device", "--threads" }) Assert.Contains(flag, output);
    }

    [Theory]
    [InlineData("--run", "nowhere")]
    [InlineData("--data", "nowhere")]
    public void Run_and_data_go_together(string flag, string value)
    {
        var (code, _, err) = CliHarness.Run("serve", flag, value);
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains("--data", err);
    }

    [Theory]
    [InlineData(new[] { "--url", "ftp://x" }, "--url")]
    [InlineData(new[] { "--url", "http://127.0.0.1:1" }, "--data")]
    [InlineData(new[] { "--url", "http://127.0.0.1:1", "--requests", "r.jsonl", "--run", "somewhere" }, "--data")]
    [InlineData(new[] { "--url", "a=http://127.0.0.1:1", "--url", "a=http://127.0.0.1:2", "--requests", "r.jsonl" }, "--url")]
    [InlineData(new[] { "--url", "http://127.0.0.1:1", "--requests", "r.jsonl", "--duration", "soon" }, "--duration")]
    [InlineData(new[] { "--url", "http://127.0.0.1:1", "--requests", "r.jsonl", "--rounds", "0" }, "--rounds")]
    [InlineData(new[] { "--url", "http://127.0.0.1:1", "--requests", "r.jsonl", "--swap-every", "5s" }, "--admin-token")]
    public void Bench_serve_names_the_bad_option(string[] args, string named)
    {
        var (code, _, err) = CliHarness.Run(["bench", "serve", .. args]);
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains(named, err);
    }

    [Theory]
    [InlineData("--max-k", "0", "--max-k")]
    [InlineData("--admin-token", "short", "--admin-token")]
    [InlineData("--port", "70000", "--port")]
    public void Bad_options_name_their_flag(string flag, string value, string named)
    {
        var (code, _, err) = CliHarness.Run("serve", "--run", "nowhere", "--data", "nowhere", flag, value);
        Assert.Equal(CliRunner.BadInput, code);
        Assert.Contains(named, err);
    }
}
