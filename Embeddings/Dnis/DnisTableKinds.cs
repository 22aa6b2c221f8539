using System.Globalization;
using Recsys.Catalog;
using Recsys.Tables;
using Recsys.Training.Objectives;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// Registration of the DNIS kinds: <c>dnis</c>, the soft-selection wrapper around any table kind registered before it
/// (<c>--dnis-inner</c>, default full; the inner kind's own parameters, e.g. <c>--resolution</c>, pass through), and
/// <c>mixed-dim</c>, the pruned table (given by hand: <c>--mixed-widths 48,32,16</c> keeps each block's first columns).
/// Register after the kinds DNIS should wrap.
/// </summary>
public static class DnisTableKinds
{
    private static readonly KindParameter<string> Inner = KindParameter.Text("dnis-inner", "Table kind DNIS wraps (full, graphhash, random, ...; default full).");
    private static readonly KindParameter<int> Blocks = KindParameter.Int("dnis-blocks", "Frequency blocks of equal size (default 10).", min: 1);
    private static readonly KindParameter<string> Fractions = KindParameter.Text("dnis-fractions", "Block fractions, most frequent first, e.g. 0.1,0.2,0.2,0.2,0.3 (instead of --dnis-blocks).");
    private static readonly KindParameter<string> Budget = KindParameter.Text("dnis-budget", "Scalars the pruned table keeps, as a fraction of the full table, in (0, 1] (default 0.5).");
    private static readonly KindParameter<string> Threshold = KindParameter.Text("dnis-threshold", "Prune by α-scaled magnitude instead of a budget: keep columns whose magnitude is at least this.");
    private static readonly KindParameter<int> Warmup = KindParameter.Int("dnis-warmup", "Epochs before α moves (default 20).", min: 0);
    private static readonly KindParameter<int> Search = KindParameter.Int("dnis-search-epochs", "Epochs α steps on validation batches after the warm-up (default 20).", min: 1);
    private static readonly KindParameter<double> AlphaLr = KindParameter.Double("dnis-alpha-lr", "Learning rate of α (default 1e-2).", double.Epsilon);
    private static readonly KindParameter<double> L1 = KindParameter.Double("dnis-l1", "L1 weight on α (default 1e-5).", 0);
    private static readonly KindParameter<double> ValidReg = KindParameter.Double("dnis-valid-reg", "L2 weight of the objective α steps on (default: the trainer's --reg; 0: the plain validation loss).", 0);
    private static readonly KindParameter<bool> Order = KindParameter.Choice("dnis-order", "first (default) or second: DARTS' first-order α gradient or the second-order one through a virtual weight step.",
        new Dictionary<string, bool> { ["first"] = false, ["second"] = true });
    private static readonly KindParameter<double> UnrolledLr = KindParameter.Double("dnis-unrolled-lr", "Learning rate ξ of the second-order search's virtual weight step (default: the trainer's --lr).", double.Epsilon);
    private static readonly KindParameter<OptimizerKind> AlphaOptimizer = KindParameter.Choice("dnis-alpha-optimizer", "α's optimizer: adam (default) or sgd.",
        new Dictionary<string, OptimizerKind> { ["adam"] = OptimizerKind.Adam, ["sgd"] = OptimizerKind.Sgd });
    private static readonly KindParameter<DnisGradientNorm> GradientNorm = KindParameter.Choice("dnis-alpha-norm", "α's gradient normalised over all of α (global, default) or per block (block).",
        new Dictionary<string, DnisGradientNorm> { ["global"] = DnisGradientNorm.Global, ["block"] = DnisGradientNorm.PerBlock });
    private static readonly KindParameter<int> MinWidth = KindParameter.Int("dnis-min-width", "Columns every block keeps (default 1).", min: 0);
    private static readonly KindParameter<string> Widths = KindParameter.Text("mixed-widths", "Kept width of each equal frequency block, most frequent first, e.g. 48,32,16 (mixed-dim tables).");

    /// <summary>dnis (wrapping the table kinds already in <paramref name="catalog"/>) and mixed-dim.</summary>
    public static RecsysCatalog AddDnisTables(this RecsysCatalog catalog)
    {
        var innerKinds = catalog.Tables.ToList();
        var passThrough = innerKinds.SelectMany(k => k.Parameters).Distinct().ToList();
        return catalog
            .AddTable(new TableKind
            {
                Name = "dnis", Description = "DNIS: per-frequency-block dimension search, pruned to a mixed-dimension table", SpecType = typeof(DnisTableSpec),
                Parameters = [Inner, Blocks, Fractions, Budget, Threshold, Warmup, Search, AlphaLr, AlphaOptimizer, GradientNorm, L1, ValidReg, Order, UnrolledLr, MinWidth, .. passThrough],
                Create = r => Dnis(r, innerKinds),
            })
            .AddTable(new TableKind
            {
                Name = "mixed-dim", Description = "each frequency block stored at its own width", SpecType = typeof(MixedDimensionTableSpec),
                Parameters = [Widths],
                Create = r => MixedDimensionTableSpec.FirstColumns(ParseWidths(r.Arguments.TryGet(Widths, out var w) ? w
                    : throw new ArgumentOutOfRangeException(Widths.Name, "a mixed-dim table needs its widths (one per frequency block), or comes from a DNIS search (--user-table/--item-table dnis)."))),
            });
    }

    private static EmbeddingTableSpec Dnis(TableRequest r, IReadOnlyList<TableKind> innerKinds)
    {
        var a = r.Arguments;
        var innerName = a.GetOr(Inner, "full");
        var innerKind = innerKinds.FirstOrDefault(k => k.Name.Equals(innerName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentOutOfRangeException(Inner.Name, innerName, $"DNIS wraps one of: {string.Join(", ", innerKinds.Select(k => k.Name))}.");
        var inner = innerKind.Create(r);
        if (a.TryGet(Blocks, out _) && a.TryGet(Fractions, out _)) throw new ArgumentException($"give --{Blocks.Name} or --{Fractions.Name}, not both.");
        var fractions = a.TryGet(Fractions, out var f) ? FrequencyBlocks.Parse(f, Fractions.Name) : FrequencyBlocks.Equal(a.GetOr(Blocks, 10));
        try { FrequencyBlocks.Check(fractions, -1); }
        catch (ArgumentOutOfRangeException e) { throw new ArgumentOutOfRangeException(a.TryGet(Fractions, out _) ? Fractions.Name : Blocks.Name, Message(e)); }
        var (budget, threshold) = PruningTarget(a.TryGet(Budget, out var b) ? b : null, a.TryGet(Threshold, out var t) ? t : null);
        var spec = new DnisTableSpec(inner)
        {
            Fractions = fractions, Budget = threshold is null ? budget ?? 0.5 : null, Threshold = threshold,
            WarmupEpochs = a.GetOr(Warmup, 20), SearchEpochs = a.GetOr(Search, 20),
            AlphaLearningRate = a.GetOr(AlphaLr, 1e-2), AlphaOptimizer = a.GetOr(AlphaOptimizer, OptimizerKind.Adam),
            GradientNorm = a.GetOr(GradientNorm, DnisGradientNorm.Global), L1 = a.GetOr(L1, 1e-5), ValidationReg = a.TryGet(ValidReg, out var vr) ? vr : null,
            SecondOrder = a.GetOr(Order, false), UnrolledLearningRate = a.TryGet(UnrolledLr, out var xi) ? xi : null, MinWidth = a.GetOr(MinWidth, 1),
        };
        int ids = r.Side == TableSide.Users ? r.Inputs.NumUsers : r.Inputs.NumItems;
        if (fractions.Length > ids)
            throw new ArgumentOutOfRangeException(a.TryGet(Fractions, out _) ? Fractions.Name : Blocks.Name, fractions.Length,
                $"{fractions.Length} frequency blocks need at least {fractions.Length} {r.Side.ToString().ToLowerInvariant()}, but the data has {ids}.");
        spec.Validate();
        return spec;
    }

    /// <summary>
    /// A pruning target from the texts of this kind's options (null where not given): exactly one of --dnis-budget and
    /// --dnis-threshold, and --dnis-min-width if given — what <c>recsys train --from-search</c> prunes a finished search to.
    /// Errors name the option.
    /// </summary>
    public static DnisTarget Target(string? budget, string? threshold, string? minWidth)
    {
        var (b, t) = PruningTarget(budget, threshold);
        if (b is null && t is null) throw new ArgumentException($"give exactly one pruning target: --{Budget.Name} F or --{Threshold.Name} T.");
        return new DnisTarget(b, t, minWidth is null ? null : (int)MinWidth.ParseValue(minWidth));
    }

    /// <summary>Parses and range-checks a budget and a threshold (at most one of them given).</summary>
    private static (double? Budget, double? Threshold) PruningTarget(string? budgetText, string? thresholdText)
    {
        double? budget = budgetText is null ? null : Number(Budget, budgetText), threshold = thresholdText is null ? null : Number(Threshold, thresholdText);
        if (budget is not null && threshold is not null) throw new ArgumentException($"give --{Budget.Name} or --{Threshold.Name}, not both.");
        if (budget is { } x && !(x > 0 && x <= 1)) throw new ArgumentOutOfRangeException(Budget.Name, x, "the parameter budget is a fraction of the full table in (0, 1].");
        if (threshold is { } y && !(y >= 0)) throw new ArgumentOutOfRangeException(Threshold.Name, y, "the threshold must be ≥ 0.");
        return (budget, threshold);
    }

    private static double Number(KindParameter p, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
            : throw new ArgumentOutOfRangeException(p.Name, text, $"expected a number, got '{text}'.");

    private static int[] ParseWidths(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w >= 0 ? w
            : throw new ArgumentOutOfRangeException(Widths.Name, text, $"expected comma-separated widths ≥ 0 like 48,32,16; '{t}' is not one.")).ToArray();

    private static string Message(ArgumentException e) => e.Message.Split(" (Parameter")[0];
}
