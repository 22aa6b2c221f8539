using System.CommandLine;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys data import | split | info</c>: turn raw files into a dataset folder, re-split it, describe it.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "Import, split and describe datasets (Arrow dataset folders).");
        data.Subcommands.Add(DataImportCommand.Create());
        data.Subcommands.Add(DataSplitCommand.Create());
        data.Subcommands.Add(DataInfoCommand.Create());
        return data;
    }
}
