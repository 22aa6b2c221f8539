using Recsys.Catalog;
using System.CommandLine;
using Recsys.Eval.Reports;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys report compression RUN... [--out DIR] [--k 20] [--json]</c>: the compression-versus-quality table
/// (<see cref="CompressionReport"/>) on stdout, plus compression.md and one PNG per backbone model in DIR.
/// </summary>
public static class ReportCompressionCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders (each with run.json), e.g. full-table and hashed-table runs of mf and lightgcn.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for compression.md and compression_<model>.png.", DefaultValueFactory = _ => "report" };
        var k = new Option<int>("--k") { Description = "Cut-off of the Recall@K / NDCG@K columns (the runs' evaluations must hold them).", DefaultValueFactory = _ => 20 };
        var force = new Option<bool>("--force") { Description = "Replace an existing compression.md in --out." };
        var json = new Option<bool>("--json") { Description = "Print the table as one JSON object instead of markdown." };
        var cmd = new Command("compression", "Compression versus quality: rows, % fewer rows, Recall/NDCG and ratios to full and to the best hashing baseline, per backbone and table method.");
        cmd.Arguments.Add(runs);
        foreach (var o in new Option[] { output, k, force, json }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            int cut = pr.GetValue(k);
            if (cut < 1) throw new ArgumentOutOfRangeException("--k", cut, "must be at least 1.");
            var outDir = pr.GetValue(output)!;
            OutputGuard.RefuseOverlap("--out", outDir, pr.GetValue(runs)!.Select(r => ("RUN", (string?)r)).ToArray());
            OutputGuard.RefuseExistingFile("--out", Path.Combine(outDir, "compression.md"), pr.GetValue(force));
            var lines = CompressionReport.Load(pr.GetValue(runs)!, catalog, cut);
            var written = CompressionReport.Write(lines, outDir, cut);
            var outW = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                var o = CompressionReport.ToJson(lines, cut);
                o["files"] = new System.Text.Json.Nodes.JsonArray(written.Select(f => (System.Text.Json.Nodes.JsonNode?)Path.GetFullPath(f)).ToArray());
                outW.WriteLine(o.ToJsonString());
                return 0;
            }
            outW.Write(CompressionReport.Markdown(lines, cut));
            foreach (var f in written) outW.WriteLine($"wrote {f}");
            return 0;
        });
        return cmd;
    }
}
