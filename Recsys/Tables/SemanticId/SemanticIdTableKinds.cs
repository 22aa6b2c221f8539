using Recsys.Catalog;

namespace Recsys.Tables.SemanticId;

/// <summary>
/// Registration of the semantic-ID item tables: <c>sid:unigram</c>, <c>sid:ngram</c>, <c>sid:pieces</c> and
/// <c>sid:hybrid</c>, each reading the codes file given as <c>codes</c> (<c>--codes</c> on the command line). The spec
/// records the file's full path and SHA-256, so a resume or a reload of the run reads the same codes.
/// </summary>
public static class SemanticIdTableKinds
{
    private static readonly KindParameter<string> CodesFile = KindParameter.Text("codes",
        "Semantic-ID codes file (recsys index semantic-ids) of the sid:* item tables.");
    private static readonly KindParameter<int> SidRows = KindParameter.Int("sid-rows",
        "sid:ngram: hash the prefixes into this many rows when there are more (default: a row per prefix); sid:pieces: the piece vocabulary's size (default: half the items, at least the distinct (level, code) pairs).", min: 1);
    private static readonly KindParameter<string> SidBase = KindParameter.Choice("sid-base",
        "sid:hybrid: the semantic part beside the ID row (default ngram).",
        new Dictionary<string, string> { ["unigram"] = "unigram", ["ngram"] = "ngram", ["pieces"] = "pieces" });
    private static readonly KindParameter<int> IdRows = KindParameter.Int("id-rows",
        "sid:hybrid: hash the items' ID rows into this many rows (default: one per item).", min: 1);
    private static readonly KindParameter<int> IdMinCount = KindParameter.Int("id-min-count",
        "sid:hybrid: only items with at least this many training interactions get an ID row; the others are their semantic rows alone (default 0: every item).", min: 0);

    /// <summary>sid:unigram, sid:ngram, sid:pieces and sid:hybrid.</summary>
    public static RecsysCatalog AddSemanticIdTables(this RecsysCatalog catalog) => catalog
        .AddTable(new TableKind
        {
            Name = "sid:unigram", Description = "a row per (level, code) of the item's semantic ID, summed", SpecType = typeof(UnigramTableSpec),
            Parameters = [CodesFile], Create = r => Semantic(r, "unigram"),
        })
        .AddTable(new TableKind
        {
            Name = "sid:ngram", Description = "a row per code prefix (c1), (c1,c2), … of the item's semantic ID, summed", SpecType = typeof(PrefixNgramTableSpec),
            Parameters = [CodesFile, SidRows], Create = r => Semantic(r, "ngram"),
        })
        .AddTable(new TableKind
        {
            Name = "sid:pieces", Description = "BPE pieces learned over the semantic IDs under a row budget, summed", SpecType = typeof(PieceTableSpec),
            Parameters = [CodesFile, SidRows], Create = r => Semantic(r, "pieces"),
        })
        .AddTable(new TableKind
        {
            Name = "sid:hybrid", Description = "semantic-ID rows plus a full or hashed ID row per item", SpecType = typeof(HybridTableSpec),
            Parameters = [CodesFile, SidRows, SidBase, IdRows, IdMinCount],
            Create = r => new HybridTableSpec(Semantic(r, r.Arguments.GetOr(SidBase, "ngram")), r.Arguments.TryGet(IdRows, out var b) ? b : null,
                                              r.Arguments.GetOr(IdMinCount, 0)),
        });

    /// <summary>The semantic part <paramref name="kind"/> for the request's codes file, initialised like the model's default table.</summary>
    private static SemanticIdTableSpec Semantic(TableRequest r, string kind)
    {
        if (!r.Arguments.TryGet(CodesFile, out var path))
            throw new ArgumentException("a semantic-ID table needs its codes file (recsys index semantic-ids writes one).", CodesFile.Name);
        if (r.Side != TableSide.Items)
            throw new ArgumentOutOfRangeException("UserTable", "sid:" + kind, "semantic-ID tables serve items (a codes file numbers items); use another kind for the user table.");
        path = Path.GetFullPath(path);
        var sha = File.Exists(path) ? SemanticIdTableSpec.Sha256Of(path) : "";
        var codes = SemanticIdTableSpec.Load(path, sha, r.Inputs.NumItems, r.Inputs.Derived); // a missing file or another item count fails here
        int? rows = r.Arguments.TryGet(SidRows, out var given) ? given : null;
        SemanticIdTableSpec spec = kind switch
        {
            "unigram" => new UnigramTableSpec(path, sha),
            "ngram" => new PrefixNgramTableSpec(path, sha, rows),
            _ => new PieceTableSpec(path, sha, rows ?? DefaultPieceRows(codes, r, kind)),
        };
        var init = r.ModelDefault as FullTableSpec ?? new FullTableSpec();
        return spec with { Init = init.Init, Std = init.Std };
    }

    private static int DefaultPieceRows(Data.SemanticIds.SemanticIdCodes codes, TableRequest r, string kind)
    {
        int rows = Math.Max(PieceVocabulary.BaseSize(PieceTableSpec.Sequences(codes)), codes.NumItems / 2);
        r.Log.WriteLine($"sid:{kind} item table: a vocabulary of at most {rows} pieces (half the items, at least the distinct (level, code) pairs).");
        return rows;
    }
}
