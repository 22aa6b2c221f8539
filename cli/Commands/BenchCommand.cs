using System.CommandLine;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys bench ...</c>: timing harnesses (sub-verbs).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Timing benchmarks.");
        cmd.Subcommands.Add(BenchTrainCommand.Create());
        return cmd;
    }
}
