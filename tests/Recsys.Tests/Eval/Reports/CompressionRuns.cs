using System.Globalization;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Eval.Reports;

/// <summary>
/// Hand-written run.json files for compression-report tests: 600 users and 400 items (full tables: 1,000 rows), one
/// run per (model, table kind, rows), metrics given per evaluation. <c>tables: null</c> writes the old format without
/// the "tables" field.
/// </summary>
internal static class CompressionRuns
{
    public const int Users = 600, Items = 400;

    /// <param name="root">Folder the run folder <paramref name="name"/> is created in.</param>
    /// <param name="name">Run folder name.</param>
    /// <param name="model">Backbone ("mf", "lightgcn").</param>
    /// <param name="kind">Table kind of both sides.</param>
    /// <param name="rows">Spec "rows" per side (hashing baselines), or null for full / graphhash specs.</param>
    /// <param name="tables">Rows as built per side, or null to leave out the field (run.json before it existed).</param>
    /// <param name="savedEpoch">The kept (saved and best) epoch.</param>
    /// <param name="evals">(epoch, recall@20, ndcg@20) per evaluation.</param>
    public static string Write(string root, string name, string model, string kind, (int U, int I)? rows, (int U, int I)? tables,
                               int savedEpoch, params (int Epoch, double Recall, double Ndcg)[] evals)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string Spec(int? r) => r is { } b ? $$"""{ "kind": "{{kind}}", "rows": {{b}} }""" : kind is "graphhash" or "double-graphhash"
            ? $$"""{ "kind": "{{kind}}", "resolution": 110 }""" : $$"""{ "kind": "{{kind}}" }""";
        var tablesJson = tables is { } t ? $$""" "tables": { "userRows": {{t.U}}, "itemRows": {{t.I}}, "users": {{Users}}, "items": {{Items}} },""" : "";
        var evaluations = string.Join(",\n", evals.Select(e =>
            $$"""{ "epoch": {{e.Epoch}}, "metrics": { "recall@20": {{F(e.Recall)}}, "ndcg@20": {{F(e.Ndcg)}}, "hit@20": 0.5 }, "seconds": 1.0 }"""));
        var json = $$"""
        {
          "format": "recsys-run/1",
          "model": { "model": "{{model}}", "dim": 8, "userTable": {{Spec(rows?.U)}}, "itemTable": {{Spec(rows?.I)}} },
          "trainer": { "epochs": 4, "batchSize": 64, "learningRate": 0.01, "evalEvery": 1 },
          "data": { "name": "hand", "users": {{Users}}, "items": {{Items}}, "trainInteractions": 5000, "trainSha256": "00" },
          {{tablesJson}}
          "device": "cpu",
          "evaluatedSplit": "test",
          "primaryMetric": "recall@20",
          "epochs": [],
          "evaluations": [ {{evaluations}} ],
          "bestEpoch": {{savedEpoch}},
          "status": "completed",
          "savedEpoch": {{savedEpoch}}
        }
        """;
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "run.json"), json);
        return dir;
    }

    /// <summary>
    /// A set with known answers. MF: full 0.20/0.10 at the kept epoch 3 (epoch 4 scored 0.15 and was not kept);
    /// budget 250 (75% fewer): graphhash 0.16/0.08, random 0.04/0.02, frequency 0.08/0.05, LSH (old format, spec
    /// rows 150 + 100 → 128 + 64 built) 0.06/0.06; budget 100 (90% fewer): graphhash 0.12/0.06, random 0.03/0.03;
    /// an old-format graphhash run (rows unknown). LightGCN: full 0.25/0.12, graphhash at 250 rows 0.22/0.11.
    /// </summary>
    public static string[] KnownSet(string root) =>
    [
        Write(root, "mf-full", "mf", "full", null, (Users, Items), 3, (3, 0.20, 0.10), (4, 0.15, 0.07)),
        Write(root, "mf-gh-75", "mf", "graphhash", null, (150, 100), 4, (4, 0.16, 0.08)),
        Write(root, "mf-random-75", "mf", "random", (150, 100), (150, 100), 4, (4, 0.04, 0.02)),
        Write(root, "mf-frequency-75", "mf", "frequency", (150, 100), (150, 100), 4, (4, 0.08, 0.05)),
        Write(root, "mf-lsh-75", "mf", "lsh", (150, 100), null, 4, (4, 0.06, 0.06)),
        Write(root, "mf-gh-90", "mf", "graphhash", null, (60, 40), 4, (4, 0.12, 0.06)),
        Write(root, "mf-random-90", "mf", "random", (60, 40), (60, 40), 4, (4, 0.03, 0.03)),
        Write(root, "mf-gh-old", "mf", "graphhash", null, null, 4, (4, 0.10, 0.05)),
        Write(root, "lgcn-full", "lightgcn", "full", null, (Users, Items), 4, (4, 0.25, 0.12)),
        Write(root, "lgcn-gh-75", "lightgcn", "graphhash", null, (150, 100), 4, (4, 0.22, 0.11)),
    ];
}
