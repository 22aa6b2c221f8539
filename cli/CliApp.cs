using System.CommandLine;
using Recsys.Catalog;
using Recsys.Cli.Commands;

namespace Recsys.Cli;

/// <summary>Builds the <c>recsys</c> command tree in one place, so tests can run the CLI in-process via <see cref="CliRunner"/>.</summary>
public static class CliApp
{
    /// <summary>The command tree over the standard catalog.</summary>
    public static RootCommand Build() => Build(CliCatalog.Standard());

    /// <summary>The command tree over <paramref name="catalog"/> (a program or test with its own model and table kinds).</summary>
    public static RootCommand Build(RecsysCatalog catalog)
    {
        var root = new RootCommand("recsys — build, evaluate and serve recommenders.");
        // Each verb lives in Commands/<Verb>Command.cs and exposes a static Create().
        root.Subcommands.Add(QuickstartCommand.Create(catalog));
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        var eval = EvalCommand.Create(catalog);
        eval.Subcommands.Add(NodeClassificationCommand.Create());
        root.Subcommands.Add(eval);
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(RetrieveCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create(catalog));
        root.Subcommands.Add(RankCommand.Create(catalog));
        root.Subcommands.Add(TrainCommand.Create(catalog));
        root.Subcommands.Add(ReportCommand.Create(catalog));
        root.Subcommands.Add(BenchCommand.Create(catalog));
        root.Subcommands.Add(ServeCommand.Create(catalog));
        root.Subcommands.Add(SiloCommand.Create());
        root.Subcommands.Add(ExportCommand.Create(catalog));
        return root;
    }
}
