using Recsys.Catalog;
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
/// <param name="Parameters">Trainable scalars of both tables as built (the tables' own count: right for mixed widths and code sums); null for runs recorded before parameter counts.</param>
public sealed record CompressionEntry(string Run, string Model, string Method, int? Rows, int FullRows, int? Budget,
                                      string? Split, int? Epoch, double? Recall, double? Ndcg, long? Parameters = null)
{
    /// <summary>Fraction of rows saved against full tables, 1 − Rows / FullRows.</summary>
    public double? Reduction => Rows is { } r && FullRows > 0 ? 1 - (double)r / FullRows : null;

    /// <summary>Reads the entry of <paramref name="run"/>, with metrics <c>recall@k</c> and <c>ndcg@k</c>.</summary>
    /// <param name="run">The run.</param>
    /// <param name="catalog">The catalog that names the run's table kinds.</param>
    /// <param name="k">Cut-off of the metrics read.</param>
    public static CompressionEntry From(TrainingReport.Run run, RecsysCatalog catalog, int k = 20)
    {
        var r = run.Record;
        var (user, item) = (r.Model.UserTable, r.Model.ItemTable);
        string userKind = catalog.TableOf(user).Name, itemKind = catalog.TableOf(item).Name;
        string method = userKind == itemKind ? userKind : $"{userKind}/{itemKind}";
        int fullRows = r.Tables?.FullRows ?? r.Data.Users + r.Data.Items;
        int? rows = r.Tables?.Rows ?? Add(user.RowsFor(r.Data.Users), item.RowsFor(r.Data.Items));
        int? budget = Add(user.RowBudget(r.Data.Users) ?? r.Tables?.UserRows ?? user.RowsFor(r.Data.Users),
                          item.RowBudget(r.Data.Items) ?? r.Tables?.ItemRows ?? item.RowsFor(r.Data.Items));
        // The kept epoch: the one model.bin and the embedding files hold (the best evaluation when evaluating).
        var kept = r.Evaluations.LastOrDefault(e => e.Epoch == r.SavedEpoch) ?? r.Evaluations.LastOrDefault(e => e.Epoch == r.BestEpoch);
        double? Metric(string name) => kept is not null && kept.Metrics.TryGetValue($"{name}@{k}", out var v) ? v : null;
        return new CompressionEntry(run.Name, r.Model.Kind, method, rows, fullRows, budget,
                                    kept is null ? null : r.EvaluatedSplit, kept?.Epoch, Metric("recall"), Metric("ndcg"), r.Tables?.Parameters);
    }

    private static int? Add(int? a, int? b) => a is { } x && b is { } y ? x + y : null;
}
