using System.CommandLine;
using System.Text.Json;
using Recsys.Embeddings.Dnis;
using Recsys.Eval.Reports;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys report dims RUN [--out DIR] [--json]</c>: the kept width of every frequency block of a DNIS run
/// (<c>RUN/dnis.json</c>) as a table on stdout, and <c>dims.png</c> in DIR.
/// </summary>
public static class ReportDimsCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder trained with --user-table/--item-table dnis." };
        var output = new Option<string>("--out") { Description = "Folder for dims.png.", DefaultValueFactory = _ => "report" };
        var force = new Option<bool>("--force") { Description = "Replace an existing dims.png in --out." };
        var json = new Option<bool>("--json") { Description = "Print the widths as one JSON object." };
        var cmd = new Command("dims", "DNIS: kept embedding width per frequency block of a run, printed and plotted.");
        cmd.Arguments.Add(run);
        foreach (var o in new Option[] { output, force, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var runDir = pr.GetValue(run)!;
            var outDir = pr.GetValue(output)!;
            var png = Path.Combine(outDir, "dims.png");
            OutputGuard.RefuseOverlap("--out", outDir, ("RUN", runDir));
            OutputGuard.RefuseExistingFile("--out", png, pr.GetValue(force));
            var record = DnisRecord.Read(runDir);
            Directory.CreateDirectory(outDir);
            DimsPlot.Write(record, png);
            var outW = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                outW.WriteLine(JsonSerializer.Serialize(new
                {
                    tables = record.Tables.Select(t => new { side = t.Side, blockSizes = t.BlockSizes, widths = t.Widths, dim = t.Dim, keptParameters = t.KeptParameters, fullParameters = t.FullParameters }),
                    retrained = record.Retrained,
                    plot = Path.GetFullPath(png),
                }, CliJson.Options));
                return 0;
            }
            if (record.Retrained) outW.WriteLine("the pruned model was retrained from a fresh start (--retrain), not fine-tuned from the search's weights");
            foreach (var t in record.Tables)
            {
                outW.WriteLine($"{t.Side}: {t.KeptParameters:N0} of {t.FullParameters:N0} scalars kept ({100.0 * t.KeptParameters / t.FullParameters:F1}%)");
                outW.WriteLine("| block | ids | width |");
                outW.WriteLine("|---:|---:|---:|");
                for (int b = 0; b < t.Widths.Length; b++) outW.WriteLine($"| {b + 1} | {t.BlockSizes[b]} | {t.Widths[b]} |");
                outW.WriteLine();
            }
            outW.WriteLine($"wrote {png}");
            return 0;
        });
        return cmd;
    }
}
