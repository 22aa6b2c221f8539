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
        foreach (var flag in new[] { "--run", "--data", "--port", "--host", "--admin-token", "--reload-root", "--max-k" }) Assert.Contains(flag, output);
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
