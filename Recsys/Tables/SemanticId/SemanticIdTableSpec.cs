using System.Security.Cryptography;
using Recsys.Data;
using Recsys.Data.SemanticIds;

namespace Recsys.Tables.SemanticId;

/// <summary>
/// Base of the semantic-ID item tables (Singh et al. 2023, "Better Generalization with Semantic IDs"): the item's vector is
/// the sum of shared rows picked by its code tuple from a codes file (<see cref="SemanticIdCodes"/>), so items with
/// similar content share rows and an item never seen in training still gets a vector from its codes. run.json records the
/// codes file's full path and its SHA-256; a build or resume against a changed file is refused. The disambiguation column
/// of the codes gets no rows in the unigram, n-gram and piece tables: it numbers the items of a collision group in item
/// order and carries no content, so items sharing all L codes share one vector; the hybrid table's ID row separates them.
/// </summary>
public abstract record SemanticIdTableSpec(string Codes, string CodesSha256) : EmbeddingTableSpec
{
    /// <summary>Initialisation of the shared rows (the model's default table's: Normal for MF/LightGCN, Glorot for NGCF/KGAT).</summary>
    public TableInit Init { get; init; } = TableInit.Normal;
    /// <summary>Standard deviation of a full-table row under <see cref="TableInit.Normal"/>; each of an item's K rows starts at std/√K.</summary>
    public double Std { get; init; } = 0.1;

    /// <summary>The rows of every item for the codes, and the number of rows they index.</summary>
    public abstract PieceMap Pieces(SemanticIdCodes codes, TableContext ctx);

    public override EmbeddingTable Create(TableContext ctx)
    {
        Validate();
        if (ctx.Side != TableSide.Items)
            throw new ArgumentOutOfRangeException("UserTable", ctx.Side, "semantic-ID tables serve items (a codes file numbers items); use another kind for the user table.");
        var codes = Load(ctx);
        return new CodeSumTable(Pieces(codes, ctx), ctx.Dim, Init, Std, UniversalHash.Derive(ctx.Seed, 1000));
    }

    /// <summary>The codes of this spec's file for the context's items (read once per model inputs).</summary>
    /// <exception cref="DataFormatException">The file is missing, not a codes file, changed since the spec was made, or numbers another item count.</exception>
    protected SemanticIdCodes Load(TableContext ctx) => Load(Codes, CodesSha256, ctx.Count, ctx.Inputs.Derived);

    /// <summary>Reads <paramref name="path"/> for <paramref name="items"/> items and checks its SHA-256 against <paramref name="sha256"/>.</summary>
    public static SemanticIdCodes Load(string path, string sha256, int items, Models.DerivedValues? cache = null)
    {
        SemanticIdCodes Read()
        {
            if (!File.Exists(path)) throw new DataFormatException(path, 0, null, "the semantic-ID codes file is missing (recsys index semantic-ids writes one).");
            var now = Sha256Of(path);
            if (!string.Equals(now, sha256, StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException(path, 0, null, $"the codes file changed since the table was specified (sha256 {Short(sha256)}… recorded, {Short(now)}… now).");
            return SemanticIdCodes.Read(path, items);
        }
        return cache is null ? Read() : cache.GetOrAdd(new CodesKey(Path.GetFullPath(path), sha256.ToLowerInvariant(), items), Read);
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Throws ArgumentOutOfRangeException naming a bad parameter.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(Codes)) throw new ArgumentOutOfRangeException(nameof(Codes), Codes, "a semantic-ID table needs a codes file.");
        if (string.IsNullOrWhiteSpace(CodesSha256)) throw new ArgumentOutOfRangeException(nameof(CodesSha256), CodesSha256, "the codes file's SHA-256 is required.");
        if (!(Std > 0) || double.IsInfinity(Std)) throw new ArgumentOutOfRangeException(nameof(Std), Std, "must be positive and finite.");
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
    private sealed record CodesKey(string Path, string Sha256, int Items);
}
