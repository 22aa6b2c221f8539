using System.CommandLine;
using System.Text.Json.Nodes;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Retrieval.Recommenders;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys recommend --data DIR --run RUN (--user U | --history I,I,... | --similar-to I) [--k 10] [filters]</c>:
/// answers from a trained run through its fitted recommender, in the dataset's raw ids.
/// </summary>
public static class RecommendCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var data = new Option<string>("--data") { Description = "The run's dataset folder.", Required = true };
        var run = new Option<string>("--run") { Description = "Run folder (recsys train).", Required = true };
        var user = new Option<string?>("--user") { Description = "User id (the dataset's raw id when it has them, else the row number)." };
        var history = new Option<string?>("--history") { Description = "Comma-separated item ids, oldest first: recommend for this history (models with a user encoder; also excluded as seen)." };
        var similar = new Option<string?>("--similar-to") { Description = "Instead: the items most similar to this item." };
        var k = new Option<int>("--k") { Description = "Items to return.", DefaultValueFactory = _ => 10 };
        var exclude = new Option<string?>("--exclude") { Description = "Comma-separated item ids never to return." };
        var allow = new Option<string?>("--allow") { Description = "Comma-separated item ids: return only these." };
        var attributes = new Option<string?>("--attributes") { Description = "Comma-separated attribute names (brand, category, as the dataset spells them): return only items carrying all of them." };
        var includeSeen = new Option<bool>("--include-seen") { Description = "Keep the user's training items rankable." };
        var coldSlots = new Option<double?>("--cold-slots") { Description = "A generative run (tiger): give at most this share of the list to items without training interactions that share a generated item's codes (TIGER's ε)." };
        var beam = new Option<int?>("--beam") { Description = "A run that decodes by beam search (tiger): decode with this beam width instead of the run's." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("recommend", "Top-k items for a user, a history, or similar to an item, from a trained run (exact; filters applied inside the search).");
        foreach (var o in new Option[] { data, run, user, history, similar, k, exclude, allow, attributes, includeSeen, coldSlots, beam, json }) cmd.Options.Add(o);
        cmd.MapParameters(("User", "--user"), ("History", "--history"), ("Exclude", "--exclude"), ("Allow", "--allow"), ("K", "--k"),
                          ("user", "--user"), ("item", "--history/--exclude/--allow/--similar-to"), ("attributes", "--attributes"), ("coldSlots", "--cold-slots"), ("beam", "--beam"));
        cmd.SetAction(pr =>
        {
            var d = DatasetFolder.Read(pr.GetValue(data)!);
            using var rec = RunFolderRecommender.Load(pr.GetValue(run)!, d, catalog, coldSlots: pr.GetValue(coldSlots), beam: pr.GetValue(beam));
            var ids = rec.Data;
            var attrs = ItemAttributeIndex.From(d.Attributes);
            int[]? Items(Option<string?> o) => pr.GetValue(o)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ids.ItemOf).ToArray();
            Recommendation result;
            if (pr.GetValue(similar) is { } item)
            {
                if (pr.GetValue(user) is not null || pr.GetValue(history) is not null) throw new ArgumentException("--similar-to takes no --user or --history.");
                if (pr.GetValue(attributes) is not null) throw new ArgumentException("--similar-to takes no --attributes.", "--attributes");
                result = rec.SimilarItems(ids.ItemOf(item), Math.Min(pr.GetValue(k), rec.NumItems - 1));
            }
            else
            {
                result = rec.Recommend(new RecommendRequest
                {
                    User = pr.GetValue(user) is { } u ? ids.UserOf(u) : null,
                    History = Items(history), K = pr.GetValue(k), ExcludeSeen = !pr.GetValue(includeSeen),
                    Exclude = Items(exclude), Allow = Filtered(Items(allow), attrs, pr.GetValue(attributes)),
                });
            }
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
            {
                var arr = new JsonArray();
                for (int i = 0; i < result.Items.Length; i++)
                    arr.Add(new JsonObject
                    {
                        ["item"] = ids.ItemName(result.Items[i]), ["score"] = result.Scores[i],
                        ["attributes"] = new JsonArray([.. attrs.NamesOf(result.Items[i]).Select(n => JsonValue.Create(n))]),
                    });
                w.WriteLine(new JsonObject { ["items"] = arr }.ToJsonString());
            }
            else
                for (int i = 0; i < result.Items.Length; i++)
                    w.WriteLine($"{i + 1,4}  {ids.ItemName(result.Items[i]),-24} {result.Scores[i],9:F4}  {string.Join(" | ", attrs.NamesOf(result.Items[i]))}".TrimEnd());
            return 0;
        });
        return cmd;
    }

    /// <summary>The allow list narrowed to items carrying every attribute in <paramref name="names"/> (comma-separated).</summary>
    private static int[]? Filtered(int[]? allow, ItemAttributeIndex attrs, string? names)
    {
        if (names is null) return allow;
        var carrying = attrs.ItemsWithAll(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return allow is null ? carrying : [.. allow.Where(new HashSet<int>(carrying).Contains)];
    }
}
