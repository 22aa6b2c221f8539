using System.CommandLine;
using Recsys.IO;
using Recsys.Retrieval.Mips;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys retrieve</c>: exact top-k inner-product search between two .npy matrices.</summary>
public static class RetrieveCommand
{
    public static Command Create()
    {
        var queries = new Option<string>("--queries") { Description = "float32 .npy [n, d] query vectors", Required = true };
        var items = new Option<string>("--items") { Description = "float32 .npy [m, d] item vectors", Required = true };
        var k = new Option<int>("--k") { Description = "results per query", DefaultValueFactory = _ => 20 };
        var exclude = new Option<string?>("--exclude") { Description = "items never to return: .npy int32 [p, 2] of (query, item) pairs, or a dataset folder (its training items)" };
        var index = new MipsIndexOptions();
        var outPath = new Option<string>("--out") { Description = "int32 .npy [n, k] ids (-1 = padding); scores go to <out>.scores.npy", Required = true };
        var force = new Option<bool>("--force") { Description = "replace existing output files" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var cluster = new BatchClusterOptions();
        var cmd = new Command("retrieve", "Exact maximum-inner-product top-k: writes ids and scores as .npy.");
        foreach (var o in new Option[] { queries, items, k, exclude }.Concat(index.All).Concat(cluster.All).Concat([outPath, force, json])) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            var target = pr.GetValue(outPath)!;
            var inputs = new (string, string?)[] { ("--queries", pr.GetValue(queries)), ("--items", pr.GetValue(items)), ("--exclude", pr.GetValue(exclude)) };
            OutputGuard.CheckFile("--out", target, pr.GetValue(force), inputs);
            OutputGuard.CheckFile("--out's scores file", RetrieveRequest.ScoresPathFor(target), pr.GetValue(force), inputs);
            using var clusterHost = cluster.Connect(pr);
            var err = pr.InvocationConfiguration.Error;
            var s = cluster.Guard(pr, () => RetrieveJob.Run(new RetrieveRequest
            {
                QueriesPath = pr.GetValue(queries)!, ItemsPath = pr.GetValue(items)!, OutPath = pr.GetValue(outPath)!,
                K = pr.GetValue(k), ExcludePath = pr.GetValue(exclude),
                Index = clusterHost is null ? index.Parse(pr)
                    : cluster.Choice(clusterHost, pr, pr.GetValue(items)!, new SyncProgress<Recsys.Serving.Cluster.BlockProgress>(p => err.WriteLine($"cluster: {p.QueriesDone:N0} / {p.QueriesTotal:N0} queries"))),
            }));
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) w.WriteLine(CliJson.Serialize(s));
            else
            {
                w.WriteLine($"{s.Queries:N0} queries × {s.Items:N0} items × {s.Dim} dims, k = {s.K}, {s.ExcludedPairs:N0} excluded pairs, {s.Backend}: {s.SearchSeconds:F3} s");
                w.WriteLine($"ids → {s.IdsPath}");
                w.WriteLine($"scores → {s.ScoresPath}");
            }
            return 0;
        });
        return cmd;
    }
}
