using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Recsys.Eval;
using Recsys.Eval.Significance;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys compare A B</c>: means, difference and paired significance tests of two saved evaluation results.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("A") { Description = "Result folder written by `recsys eval --out` (the baseline)." };
        var b = new Argument<string>("B") { Description = "Result folder written by `recsys eval --out` (the challenger)." };
        var metric = new Option<string?>("--metric") { Description = "Metric key(s), comma-separated (default: all shared), e.g. ndcg@20." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        var cmd = new Command("compare", "Compare two evaluation results on their common users: paired t-test and Wilcoxon signed-rank test.");
        cmd.Arguments.Add(a);
        cmd.Arguments.Add(b);
        cmd.Options.Add(metric);
        cmd.Options.Add(json);
        cmd.SetAction(pr =>
        {
            string pa = pr.GetValue(a)!, pb = pr.GetValue(b)!;
            var metrics = pr.GetValue(metric)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var ra = EvaluationResultFolder.Load(pa);
            var rb = EvaluationResultFolder.Load(pb);
            foreach (var (folder, r) in new[] { (pa, ra), (pb, rb) })
                if (r.Data is null)
                    throw new InvalidDataException($"{folder}: metrics.json records no data fingerprint (saved by an older recsys); run `recsys eval ... --out` again to compare it.");
            var cmp = ResultComparison.Compare(ra, rb, metrics);
            var stdout = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) { stdout.WriteLine(ToJson(cmp, pa, pb).ToJsonString()); return 0; }
            var table = new Table().AddColumn("metric");
            foreach (var h in new[] { "A", "B", "B − A", "t-test p", "Wilcoxon p" }) table.AddColumn(new TableColumn(h).RightAligned());
            foreach (var m in cmp.Metrics)
                table.AddRow(m.Metric, F(m.MeanA), F(m.MeanB), F(m.Difference, "+0.0000;-0.0000;0.0000"), P(m.TTest.PValue), P(m.Wilcoxon.PValue));
            var console = EvalCommand.ConsoleFor(stdout);
            console.WriteLine($"A = {pa}");
            console.WriteLine($"B = {pb}");
            console.Write(table);
            var note = cmp.OnlyA + cmp.OnlyB > 0 ? $" ({cmp.OnlyA} only in A and {cmp.OnlyB} only in B were left out)" : "";
            console.WriteLine($"{cmp.Users} paired users{note}.");
            return 0;
        });
        return cmd;
    }

    private static JsonObject ToJson(ResultComparison cmp, string a, string b)
    {
        var metrics = new JsonObject();
        foreach (var m in cmp.Metrics)
            metrics[m.Metric] = new JsonObject
            {
                ["a"] = Num(m.MeanA), ["b"] = Num(m.MeanB), ["diff"] = Num(m.Difference),
                ["t"] = Num(m.TTest.T), ["tTestP"] = Num(m.TTest.PValue),
                ["wilcoxonZ"] = Num(m.Wilcoxon.Z), ["wilcoxonP"] = Num(m.Wilcoxon.PValue),
            };
        return new JsonObject
        {
            ["a"] = a, ["b"] = b, ["users"] = cmp.Users, ["onlyA"] = cmp.OnlyA, ["onlyB"] = cmp.OnlyB, ["metrics"] = metrics,
        };
    }

    /// <summary>JSON has no NaN/∞: those become null.</summary>
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string P(double p) => double.IsNaN(p) ? "n/a" : p == 0 ? "< 1e-300" : p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);
}
