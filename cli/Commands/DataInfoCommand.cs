using System.CommandLine;
using Recsys.Data;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys data info DIR [--json]</c>: counts of a dataset folder.</summary>
public static class DataInfoCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Dataset folder (written by data import or data split)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var cmd = new Command("info", "Show users, items, interactions per split, density, knowledge graph and attributes.");
        cmd.Arguments.Add(dir);
        cmd.Options.Add(json);
        cmd.SetAction(pr =>
        {
            var folder = pr.GetValue(dir)!;
            var stats = DatasetStats.Of(DatasetFolder.Read(folder));
            DataPrinter.Print(stats, pr.InvocationConfiguration.Output, pr.GetValue(json));
            return 0;
        });
        return cmd;
    }
}
