using Recsys.Catalog;
using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Tables.SemanticId;
using static TorchSharp.torch;

namespace Recsys.Tests.Tables.SemanticId;

/// <summary>
/// Known answers on the hand-made codes (<see cref="SidCodes.Hand"/>: items 0..3 with tuples (0,0) (0,1) (1,2) (1,2),
/// level cardinalities 2 and 3): the rows each kind gives every item, the parameter count by hand, and each item's vector
/// as the sum of exactly those rows.
/// </summary>
public class SemanticIdTableTests
{
    private const int Dim = 3;
    private static readonly string Codes = SidCodes.Hand();
    private static readonly string Sha = SemanticIdTableSpec.Sha256Of(Codes);

    /// <summary>Item degrees 3, 0, 1, 0 (piece weights 4, 1, 2, 1).</summary>
    private static readonly InteractionMatrix Train = InteractionMatrix.From([0, 1, 2, 0], [0, 0, 0, 2], 3, 4);

    private static TableContext Items(ulong seed = 1) => Tc.Context(Train, TableSide.Items, Dim, seed);

    /// <summary>Builds the table, checks pieces, rows and parameters, and that every item is the sum of its rows.</summary>
    private static CodeSumTable Check(EmbeddingTableSpec spec, int[][] pieces, int rows)
    {
        var t = Assert.IsType<CodeSumTable>(spec.Create(Items()));
        Assert.Equal(pieces, t.Pieces());
        Assert.Equal(rows, t.Rows);
        Assert.Equal((long)rows * Dim, t.Parameters);
        var w = t.parameters().Single().detach().data<float>().ToArray();
        Assert.Equal(rows * Dim, w.Length);
        var all = t.All().detach().data<float>().ToArray();
        for (int i = 0; i < pieces.Length; i++)
            for (int d = 0; d < Dim; d++)
                Assert.Equal(pieces[i].Sum(r => w[r * Dim + d]), all[i * Dim + d], 6);
        return t;
    }

    [Fact]
    public void UnigramHasARowPerLevelAndCode()
    {
        // Level 1 codes → rows 0, 1; level 2 codes → rows 2, 3, 4. Items 2 and 3 share all codes and so their vector.
        using var t = Check(new UnigramTableSpec(Codes, Sha), [[0, 2], [0, 3], [1, 4], [1, 4]], rows: 5);
        var all = t.All().detach().data<float>().ToArray();
        Assert.Equal(all.AsSpan(2 * Dim, Dim).ToArray(), all.AsSpan(3 * Dim, Dim).ToArray());
    }

    [Fact]
    public void PrefixNgramHasARowPerPrefixOrHashesIntoTheBudget()
    {
        // Prefixes in order of appearance: (0) (0,0) (0,1) (1) (1,2).
        Check(new PrefixNgramTableSpec(Codes, Sha), [[0, 1], [0, 2], [3, 4], [3, 4]], rows: 5).Dispose();
        Check(new PrefixNgramTableSpec(Codes, Sha, Rows: 5), [[0, 1], [0, 2], [3, 4], [3, 4]], rows: 5).Dispose(); // fits: exact

        var spec = new PrefixNgramTableSpec(Codes, Sha, Rows: 2);
        using var t = Assert.IsType<CodeSumTable>(spec.Create(Items()));
        Assert.Equal(2, t.Rows);
        Assert.Equal(2L * Dim, t.Parameters);
        var pieces = t.Pieces();
        Assert.All(pieces, p => { Assert.Equal(2, p.Length); Assert.All(p, r => Assert.InRange(r, 0, 1)); });
        Assert.Equal(pieces[0][0], pieces[1][0]); // the same prefix (0) hashes to the same row
        Assert.Equal(pieces[2], pieces[3]);
        Check(spec, pieces, rows: 2).Dispose();
    }

    [Fact]
    public void PiecesFollowTheLearnedVocabulary()
    {
        // Sequences [0,0] [0,1] [1,2] [1,2] with weights 4 1 2 1: unigram ids 0:0, 1:0, 1:1, 0:1, 1:2 (5 rows); pair weights
        // (0:0, 1:0) = 4, (0:1, 1:2) = 3, (0:0, 1:1) = 1. Budget 6 merges the first: item 0 becomes the piece 0:[0,0] and the
        // unigram 1:0 falls out of use. Kept, renumbered: 0:0 → 0, 1:1 → 1, 0:1 → 2, 1:2 → 3, 0:[0,0] → 4.
        using (var t = Check(new PieceTableSpec(Codes, Sha, 6), [[4], [0, 1], [2, 3], [2, 3]], rows: 5))
            Assert.Equal(2, t.PiecesPerId);
        // Budget 7 also merges (0:1, 1:2): kept 0:0, 1:1, 0:[0,0], 0:[1,2].
        Check(new PieceTableSpec(Codes, Sha, 7), [[2], [0, 1], [3], [3]], rows: 4).Dispose();
        // Budget = the unigrams: no merge, the unigram table.
        Check(new PieceTableSpec(Codes, Sha, 5), [[0, 1], [0, 2], [3, 4], [3, 4]], rows: 5).Dispose();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PieceTableSpec(Codes, Sha, 4).Create(Items()));
        Assert.Contains("5 distinct (level, code) pairs", e.Message);
    }

    [Fact]
    public void HybridAddsAnIdRowThatSeparatesCollidingItems()
    {
        using (var t = Check(new HybridTableSpec(new UnigramTableSpec(Codes, Sha)), [[0, 2, 5], [0, 3, 6], [1, 4, 7], [1, 4, 8]], rows: 9))
        {
            var all = t.All().detach().data<float>().ToArray();
            Assert.NotEqual(all.AsSpan(2 * Dim, Dim).ToArray(), all.AsSpan(3 * Dim, Dim).ToArray());
        }
        using var hashed = Assert.IsType<CodeSumTable>(new HybridTableSpec(new PrefixNgramTableSpec(Codes, Sha), IdRows: 2).Create(Items()));
        Assert.Equal(5 + 2, hashed.Rows);
        Assert.Equal(7L * Dim, hashed.Parameters);
        Assert.All(hashed.Pieces(), p => Assert.InRange(p[2], 5, 6));
        Check(new HybridTableSpec(new PrefixNgramTableSpec(Codes, Sha), IdRows: 2), hashed.Pieces(), rows: 7).Dispose();
    }

    [Fact]
    public void HybridWithAMinimumCountGivesIdRowsOnlyToItemsTrainedOftenEnough()
    {
        // Degrees 3, 0, 1, 0: at a minimum of 1, items 0 and 2 get ID rows 5 and 6; items 1 and 3 are their codes alone,
        // so the colliding items 2 and 3 stay apart (2 has a row) and item 3 equals the semantic sum it shares.
        using (var t = Check(new HybridTableSpec(new UnigramTableSpec(Codes, Sha), IdMinCount: 1), [[0, 2, 5], [0, 3], [1, 4, 6], [1, 4]], rows: 7))
            Assert.Equal(3, t.PiecesPerId);
        Check(new HybridTableSpec(new UnigramTableSpec(Codes, Sha), IdMinCount: 2), [[0, 2, 5], [0, 3], [1, 4], [1, 4]], rows: 6).Dispose();
        Check(new HybridTableSpec(new UnigramTableSpec(Codes, Sha), IdMinCount: 4), [[0, 2], [0, 3], [1, 4], [1, 4]], rows: 5).Dispose();
        // Hashed ID rows are shared among the items that have one only.
        using var hashed = Assert.IsType<CodeSumTable>(new HybridTableSpec(new UnigramTableSpec(Codes, Sha), IdRows: 1, IdMinCount: 1).Create(Items()));
        Assert.Equal([[0, 2, 5], [0, 3], [1, 4, 5], [1, 4]], hashed.Pieces());
        Assert.Null(new HybridTableSpec(new UnigramTableSpec(Codes, Sha), IdMinCount: 1).RowBudget(4));

        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new HybridTableSpec(new UnigramTableSpec(Codes, Sha), IdMinCount: -1).Create(Items()));
        Assert.Equal("IdMinCount", bad.ParamName);
    }

    [Fact]
    public void AppendSkipsIdsWithoutAnExtraRowAndRefusesRowsOutsideTheBlock()
    {
        var map = PieceMap.Fixed([0, 1, 1, 0], k: 2, rows: 2).Append([PieceMap.None, 0], extraRows: 1);
        Assert.Equal(3, map.Rows);
        Assert.Equal([0, 1], map.Of(0).ToArray());
        Assert.Equal([1, 0, 2], map.Of(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => PieceMap.Fixed([0, 1], k: 1, rows: 2).Append([0, 1], extraRows: 1));
    }

    [Fact]
    public void RowsStartAtTheScaleOfTheFullTable()
    {
        // K pieces of std σ/√K sum to std σ: over many ids the item vectors' spread matches a full table's 0.1.
        var codes = new int[4000 * 2];
        var rng = new Random(3);
        for (int k = 0; k < codes.Length; k++) codes[k] = rng.Next(64);
        var path = SidCodes.Write(SemanticIdCodes.Disambiguate(4000, [64, 64], codes, "random"));
        var train = InteractionMatrix.From([0], [0], 1, 4000);
        using var t = new UnigramTableSpec(path, SemanticIdTableSpec.Sha256Of(path)).Create(Tc.Context(train, TableSide.Items, 16, 2));
        var all = t.All().detach().data<float>().ToArray();
        double sd = Math.Sqrt(all.Select(v => (double)v * v).Average());
        Assert.InRange(sd, 0.08, 0.12);
    }

    [Fact]
    public void ACodesFileForAnotherItemCountIsAnErrorNamingTheFile()
    {
        var five = Tc.Context(InteractionMatrix.From([0], [4], 1, 5), TableSide.Items, Dim, 1);
        var e = Assert.Throws<DataFormatException>(() => new UnigramTableSpec(Codes, Sha).Create(five));
        Assert.Contains(Codes, e.Message);
        Assert.Contains("4 items", e.Message);

        // Through the registered kind, as the CLI builds it.
        var kind = Tc.Catalog.Table("sid:ngram");
        var codes = kind.Parameters.Single(p => p.Name == "codes");
        var args = new KindArguments().Set(codes, Codes);
        var request = new TableRequest(TableSide.Items, args, new ModelInputs("five", InteractionMatrix.From([0], [4], 1, 5)), new FullTableSpec(), TextWriter.Null);
        Assert.Contains(Codes, Assert.Throws<DataFormatException>(() => kind.Create(request)).Message);
    }

    [Fact]
    public void AChangedCodesFileIsRefused()
    {
        var copy = Path.Combine(Path.GetDirectoryName(SidCodes.Grid(4))!, "codes.arrow");
        var sha = SemanticIdTableSpec.Sha256Of(copy);
        File.Copy(Codes, copy, overwrite: true); // same item count, other codes
        Assert.Contains("changed", Assert.Throws<DataFormatException>(() => new UnigramTableSpec(copy, sha).Create(Items())).Message);
    }

    [Fact]
    public void UserSideIsRefused()
    {
        var users = Tc.Context(InteractionMatrix.From([0, 1, 2, 3], [0, 1, 2, 3], 4, 4), TableSide.Users, Dim, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new UnigramTableSpec(Codes, Sha).Create(users));
        Assert.Equal("UserTable", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridTableSpec(new UnigramTableSpec(Codes, Sha)).Create(users));
    }

    [Fact]
    public void KindsRecordTheFullPathTheHashAndTheModelsInitialisation()
    {
        var inputs = new ModelInputs("hand", Train);
        var kind = Tc.Catalog.Table("sid:hybrid");
        var args = new KindArguments()
            .Set(kind.Parameters.Single(p => p.Name == "codes"), Codes)
            .Set(kind.Parameters.Single(p => p.Name == "sid-base"), "pieces")
            .Set(kind.Parameters.Single(p => p.Name == "sid-rows"), "6");
        var spec = Assert.IsType<HybridTableSpec>(kind.Create(new TableRequest(TableSide.Items, args, inputs, new FullTableSpec(TableInit.XavierUniform), TextWriter.Null)));
        var semantic = Assert.IsType<PieceTableSpec>(spec.Semantic);
        Assert.Equal(Path.GetFullPath(Codes), semantic.Codes);
        Assert.Equal(Sha, semantic.CodesSha256);
        Assert.Equal(6, semantic.Rows);
        Assert.Equal(TableInit.XavierUniform, semantic.Init);
        Assert.Null(spec.IdRows);
        Assert.Equal(0, spec.IdMinCount);
        var some = args.Set(kind.Parameters.Single(p => p.Name == "id-min-count"), "2");
        Assert.Equal(2, Assert.IsType<HybridTableSpec>(kind.Create(new TableRequest(TableSide.Items, some, inputs, new FullTableSpec(), TextWriter.Null))).IdMinCount);

        var missing = Assert.Throws<ArgumentException>(() => Tc.Catalog.Table("sid:unigram").Create(new TableRequest(TableSide.Items, new KindArguments(), inputs, new FullTableSpec(), TextWriter.Null)));
        Assert.Equal("codes", missing.ParamName);
    }
}
