using System.Text.Json;
using System.Text.Json.Nodes;
using Recsys.Tables;
using Recsys.Training;

namespace Recsys.Eval.Reports;

/// <summary>
/// What a compression report needs from one run (its run.json): the backbone model, the table method (the user
/// table's kind, e.g. "graphhash"; "user/item" when the two sides differ), the rows its tables really have, the row
/// budget it was given, and Recall@K / NDCG@K at the epoch whose embeddings the run kept.
/// </summary>
/// <param name="Run">Display name (the run folder's name).</param>
/// <param name="Model">Backbone: mf, lightgcn, ngcf, kgat.</param>
/// <param name="Method">Table kind: full, graphhash, double-graphhash, random, double, frequency, lsh.</param>
/// <param name="Rows">User + item table rows as built; null when run.json predates <see cref="RunRecord.Tables"/> and the spec does not fix it (GraphHash).</param>
/// <param name="FullRows">Users + items (the rows of two full tables).</param>
/// <param name="Budget">
/// Requested user + item rows: a hashing baseline's <c>rows</c> per side (capped at the ids), otherwise the rows as built.
/// Runs of one model with the same budget are compared with each other (LSH spends only 2^⌊log₂B⌋ of its budget B).
/// </param>
/// <param name="Split">Split the metrics were computed on ("test" or "valid"), null when never evaluated.</param>
/// <param name="Epoch">Epoch of the metrics (the kept epoch), null when it was not evaluated.</param>
/// <param name="Recall">Recall@K at <paramref name="Epoch"/>, null when not evaluated.</param>
/// <param name="Ndcg">NDCG@K at <paramref name="Epoch"/>, null when not evaluated.</param>
public sealed record CompressionEntry(string Run, string Model, string Method, int? Rows, int FullRows, int? Budget,
                                      string? Split, int? Epoch, double? Recall, double? Ndcg)
{
    /// <summary>Fraction of rows saved against full tables, 1 − Rows / FullRows.</summary>
    public double? Reduction => Rows is { } r && FullRows > 0 ? 1 - (double)r / FullRows : null;

    /// <summary>Reads the entry of <paramref name="run"/>, with metrics <c>recall@k</c> and <c>ndcg@k</c>.</summary>
    public static CompressionEntry From(TrainingReport.Run run, int k = 20)
    {
        var r = run.Record;
        var (userKind, userBudget) = Spec(r.Model.UserTable, r.Data.Users);
        var (itemKind, itemBudget) = Spec(r.Model.ItemTable, r.Data.Items);
        string method = userKind == itemKind ? userKind : $"{userKind}/{itemKind}";
        int fullRows = r.Tables?.FullRows ?? r.Data.Users + r.Data.Items;
        int? rows = r.Tables?.Rows ?? Add(BuiltRows(r.Model.UserTable, r.Data.Users), BuiltRows(r.Model.ItemTable, r.Data.Items));
        int? budget = Add(userBudget ?? r.Tables?.UserRows ?? BuiltRows(r.Model.UserTable, r.Data.Users),
                          itemBudget ?? r.Tables?.ItemRows ?? BuiltRows(r.Model.ItemTable, r.Data.Items));
        // The kept epoch: the one model.bin and the embedding files hold (the best evaluation when evaluating).
        var kept = r.Evaluations.LastOrDefault(e => e.Epoch == r.SavedEpoch) ?? r.Evaluations.LastOrDefault(e => e.Epoch == r.BestEpoch);
        double? Metric(string name) => kept is not null && kept.Metrics.TryGetValue($"{name}@{k}", out var v) ? v : null;
        return new CompressionEntry(run.Name, r.Model.Kind, method, rows, fullRows, budget,
                                    kept is null ? null : r.EvaluatedSplit, kept?.Epoch, Metric("recall"), Metric("ndcg"));
    }

    private static int? Add(int? a, int? b) => a is { } x && b is { } y ? x + y : null;

    /// <summary>The spec's kind (its JSON discriminator) and, for specs with a row budget, that budget capped at the ids.</summary>
    private static (string Kind, int? Budget) Spec(EmbeddingTableSpec spec, int ids)
    {
        var node = JsonSerializer.SerializeToNode(spec, RunRecord.Json)!.AsObject();
        string kind = node["kind"]?.GetValue<string>() ?? spec.GetType().Name;
        int? budget = node["rows"] is JsonValue v && v.TryGetValue<int>(out var b) ? Math.Min(b, ids) : null;
        return (kind, budget);
    }

    /// <summary>
    /// Rows of a table the spec alone determines, for run.json files written before <see cref="RunRecord.Tables"/>:
    /// full, modulo / double / frequency hashing (min(B, ids)) and LSH (2^⌊log₂ min(B, ids)⌋); null for clustered tables.
    /// </summary>
    private static int? BuiltRows(EmbeddingTableSpec spec, int ids) => spec switch
    {
        FullTableSpec => ids,
        RandomHashTableSpec s => Math.Min(s.Rows, ids),
        DoubleHashTableSpec s => Math.Min(s.Rows, ids),
        FrequencyHashTableSpec s => Math.Min(s.Rows, ids),
        LshTableSpec s => 1 << LshTableSpec.Bits(Math.Min(s.Rows, ids)),
        _ => null,
    };
}
