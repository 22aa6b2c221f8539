using Recsys.Catalog;
using Recsys.Cli;

namespace Recsys.Tests.Infrastructure;

/// <summary>Runs the <c>recsys</c> command tree in-process, as the tests' one way to call the CLI.</summary>
internal static class CliHarness
{
    /// <summary>Exit code, stdout and stderr of <c>recsys ARGS</c> over the standard catalog.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(Tc.Catalog, args);

    /// <summary>The same over <paramref name="catalog"/> (a program with its own kinds).</summary>
    public static (int Code, string Out, string Err) Run(RecsysCatalog catalog, params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliRunner.Run(CliApp.Build(catalog), args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
