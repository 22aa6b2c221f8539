using Recsys.Catalog;
using System.CommandLine;
using Recsys.Eval.Reports;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys report RUN... [--out DIR]</c>: markdown metrics table on stdout plus report.md and PNG training curves in DIR;
/// <c>recsys report compression RUN...</c>: see <see cref="ReportCompressionCommand"/>; <c>recsys report dims RUN</c>: see <see cref="ReportDimsCommand"/>.
/// </summary>
public static class ReportCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders (each with run.json).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for report.md and the PNG curves.", DefaultValueFactory = _ => "report" };
        var force = new Option<bool>("--force") { Description = "Replace an existing report.md in --out." };
        var cmd = new Command("report", "Summarise training runs: metrics table and training-curve plots.");
        cmd.Arguments.Add(runs);
        cmd.Options.Add(output);
        cmd.Options.Add(force);
        cmd.Subcommands.Add(ReportCompressionCommand.Create(catalog));
        cmd.Subcommands.Add(ReportDimsCommand.Create());
        cmd.SetAction(pr =>
        {
            var outDir = pr.GetValue(output)!;
            var runFolders = pr.GetValue(runs)!;
            OutputGuard.RefuseOverlap("--out", outDir, runFolders.Select(r => ("RUN", (string?)r)).ToArray());
            OutputGuard.RefuseExistingFile("--out", Path.Combine(outDir, "report.md"), pr.GetValue(force));
            var loaded = runFolders.Select(f => TrainingReport.Load(f, catalog)).ToList();
            var outW = pr.InvocationConfiguration.Output;
            outW.Write(TrainingReport.Markdown(loaded));
            foreach (var f in TrainingReport.Write(loaded, outDir)) outW.WriteLine($"wrote {f}");
            return 0;
        });
        return cmd;
    }
}
