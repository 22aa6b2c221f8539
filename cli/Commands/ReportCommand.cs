using Recsys.Catalog;
using System.CommandLine;
using Recsys.Eval.Reports;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys report RUN... [--out DIR]</c>: markdown metrics table on stdout plus report.md and PNG training curves in DIR;
/// <c>recsys report compression RUN...</c>: see <see cref="ReportCompressionCommand"/>.
/// </summary>
public static class ReportCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders (each with run.json).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for report.md and the PNG curves.", DefaultValueFactory = _ => "report" };
        var cmd = new Command("report", "Summarise training runs: metrics table and training-curve plots.");
        cmd.Arguments.Add(runs);
        cmd.Options.Add(output);
        cmd.Subcommands.Add(ReportCompressionCommand.Create(catalog));
        cmd.SetAction(pr =>
        {
            var loaded = pr.GetValue(runs)!.Select(f => TrainingReport.Load(f, catalog)).ToList();
            var outW = pr.InvocationConfiguration.Output;
            outW.Write(TrainingReport.Markdown(loaded));
            foreach (var f in TrainingReport.Write(loaded, pr.GetValue(output)!)) outW.WriteLine($"wrote {f}");
            return 0;
        });
        return cmd;
    }
}
