using System.CommandLine;
using Recsys.Cli.Commands;

namespace Recsys.Cli;

/// <summary>Builds the <c>recsys</c> command tree in one place, so tests can run the CLI in-process via <see cref="CliRunner"/>.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("recsys — build, evaluate and serve recommenders.");
        // Each verb lives in Commands/<Verb>Command.cs and exposes a static Create().
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        var eval = EvalCommand.Create();
        eval.Subcommands.Add(NodeClassificationCommand.Create());
        root.Subcommands.Add(eval);
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        root.Subcommands.Add(RetrieveCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
