using Recsys.Tests.Infrastructure;
using Recsys.Cli;

namespace Recsys.Tests.Cli;

/// <summary>Parse errors are bad input: exit 2, one line on stderr naming the option, no help text, no .NET type names.</summary>
public class UsageErrorTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static void AssertOneLine(string stderr, string mentions)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.Contains(mentions, lines[0]);
        Assert.DoesNotContain("System.", lines[0]);
        Assert.DoesNotContain("Usage:", stderr);
    }

    [Fact]
    public void MissingRequiredOptionExits2NamingIt()
    {
        var (code, stdout, stderr) = Run("eval", "--k", "20");
        Assert.Equal(CliRunner.BadInput, code);
        AssertOneLine(stderr, "--data");
        Assert.Equal("", stdout);
    }

    [Fact]
    public void UnknownOptionExits2NamingIt()
    {
        var (code, _, stderr) = Run("data", "info", "somewhere", "--frobnicate");
        Assert.Equal(CliRunner.BadInput, code);
        AssertOneLine(stderr, "--frobnicate");
    }

    [Theory]
    [InlineData("lightgcn+dnis2", "(0, 1]")]
    [InlineData("nosuchmodel+dnis0.5", "nosuchmodel")]
    public void A_bad_quickstart_variant_names_the_option_before_anything_runs(string variant, string mentions)
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "qs");
        var (code, _, stderr) = Run("quickstart", "--out", dir, "--variants", variant);
        Assert.Equal(CliRunner.BadInput, code);
        AssertOneLine(stderr, "--variants");
        Assert.Contains(mentions, stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void MistypedVerbIsNamed()
    {
        var (code, _, stderr) = Run("evl");
        Assert.Equal(CliRunner.BadInput, code);
        AssertOneLine(stderr, "'evl'");
    }

    [Fact]
    public void UnparsableValueExits2NamingOptionNotType()
    {
        var (code, _, stderr) = Run("eval", "--data", "d", "--block-size", "many");
        Assert.Equal(CliRunner.BadInput, code);
        AssertOneLine(stderr, "--block-size");
        Assert.Contains("'many' is not an integer", stderr);
        Assert.DoesNotContain("Int32", stderr);
    }

    [Fact]
    public void ValueOutsideTheAllowedSetIsOneLine()
    {
        var (code, _, stderr) = Run("eval", "--data", "d", "--split", "train");
        Assert.Equal(CliRunner.BadInput, code);
        AssertOneLine(stderr, "train");
    }

    [Fact]
    public void HelpStillPrintsAndSucceeds()
    {
        var (code, stdout, _) = Run("eval", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--data", stdout);
    }
}
