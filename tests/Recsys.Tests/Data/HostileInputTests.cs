using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Data.Import;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

/// <summary>
/// Issue 16 for the importers and the dataset folder: ids that would size everything, counts a manifest may claim,
/// non-finite numbers, CRLF files, one duplicate rule, and errors that name concepts rather than CLI flags.
/// </summary>
public class HostileInputTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    private string W(string name, string text) => DataFiles.Write(_dir, name, text);

    private Dataset LightGcn(string train, string test) =>
        LightGcnImporter.Import(new LightGcnImportOptions { TrainFile = W("train.txt", train), TestFile = W("test.txt", test) });

    private Dataset Kgat(string train, string test, string kg) =>
        KgatImporter.Import(new KgatImportOptions { TrainFile = W("train.txt", train), TestFile = W("test.txt", test), KgFile = W("kg_final.txt", kg) });

    private Dataset Kgcn(string ratings, string links, string kg)
    {
        var folder = Path.Combine(_dir, "kgcn");
        DataFiles.Write(folder, KgcnImporter.RatingsFile, ratings);
        DataFiles.Write(folder, KgcnImporter.LinksFile, links);
        DataFiles.Write(folder, KgcnImporter.KgFile, kg);
        return KgcnImporter.Import(new KgcnImportOptions { InputFolder = folder, TestRatio = 0.5 });
    }

    private const string KgcnRatings = "userID\tartistID\tweight\n7\t100\t3\n7\t101\t4\n9\t100\t1\n9\t102\t2\n";
    private const string KgcnLinks = "100\t0\n101\t1\n102\t2\n";
    private const string KgcnKg = "0\tmusic.genre\t3\n1\tmusic.genre\t3\n2\tmusic.origin\t4\n";

    // ---- Resource exhaustion and overflow ----

    [Theory]
    [InlineData("0 1 2\n1 2000000000\n", "0 1\n", "train.txt:2", "item id 2000000000")]
    [InlineData("0 1 2\n1 0\n", "2147483647 1\n", "test.txt:1", "user id 2147483647")]
    [InlineData("0 1 2\n1 2147483647\n", "0 0\n", "train.txt:2", "item id 2147483647")]
    public void LightGcnRejectsAnIdFarBeyondTheDistinctIds(string train, string test, string where, string what)
    {
        var e = Assert.Throws<DataFormatException>(() => LightGcn(train, test));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void SmallGapsInDenseIdsAreAccepted()
    {
        var d = LightGcn("0 1000\n", "3 1\n");   // 2 distinct items, max 1000 < 2·2 + 1024
        Assert.Equal(1001, d.NumItems);
        Assert.Equal(4, d.NumUsers);
    }

    [Theory]
    [InlineData("0 0 1\n1 2000000000 2\n", "kg_final.txt:2", "relation id 2000000000")]
    [InlineData("0 0 1\n1 1 2147483647\n", "kg_final.txt:2", "entity id 2147483647")]
    public void KgatRejectsAHugeRelationOrEntityId(string kg, string where, string what)
    {
        var e = Assert.Throws<DataFormatException>(() => Kgat("0 0 1\n", "1 2\n", kg));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void KgcnRejectsAHugeEntityInTheLinksOrTheGraph()
    {
        var e = Assert.Throws<DataFormatException>(() => Kgcn(KgcnRatings, "100\t0\n101\t1\n102\t2000000000\n", KgcnKg));
        Assert.Contains("item_index2entity_id.txt:3", e.Message);
        var g = Assert.Throws<DataFormatException>(() => Kgcn(KgcnRatings, KgcnLinks, KgcnKg + "2\tmusic.origin\t2147483647\n"));
        Assert.Contains("kg.txt:4", g.Message);
        Assert.Contains("2147483647", g.Message);
    }

    [Fact]
    public void SequencesRejectAHugeOneBasedId()
    {
        var e = Assert.Throws<DataFormatException>(() =>
            SequenceImporter.Import(new SequenceImportOptions { InputFile = W("seq.txt", "1 1 2 3\n2 2147483647 1 2\n") }));
        Assert.Contains("seq.txt:2", e.Message);
        Assert.Contains("item id 2147483647", e.Message);   // the raw (1-based) id, as the file spells it
    }

    private string Folder()
    {
        var d = LightGcn("0 0 1\n1 1 2\n", "0 2\n1 0\n");
        var dir = Path.Combine(_dir, "ds");
        DatasetFolder.Write(d, dir, overwrite: true);
        return dir;
    }

    private DataFormatException ReadWithManifest(Action<JsonObject> edit)
    {
        var dir = Folder();
        var path = Path.Combine(dir, DatasetFolder.ManifestFile);
        var m = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(m);
        File.WriteAllText(path, m.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => DatasetFolder.Read(dir));
        Assert.Contains(DatasetFolder.ManifestFile, e.Message);
        return e;
    }

    [Fact]
    public void ManifestCountsAreCheckedAgainstTheArrowFiles()
    {
        Assert.Contains("2000000000 claimed", ReadWithManifest(m => m["items"] = 2_000_000_000).Message);
        Assert.Contains("claimed", ReadWithManifest(m => m["users"] = int.MaxValue).Message);
        Assert.Contains("negative", ReadWithManifest(m => m["users"] = -5).Message);
        Assert.Contains("interactions.train", ReadWithManifest(m => m["interactions"]!["train"] = 5).Message);
        Assert.Contains("unexpected content", ReadWithManifest(m => m["users"] = "many").Message);
        Assert.Contains("not a file name inside", ReadWithManifest(m => m["files"]!["train"] = "../elsewhere/train.arrow").Message);
    }

    [Fact]
    public void ValidateChecksKnowledgeGraphAndAttributeIds()
    {
        var d = new Dataset
        {
            Name = "v", NumUsers = 1, NumItems = 2,
            Train = new Interactions([0], [0]), Test = Interactions.Empty,
            Knowledge = new KnowledgeTriples([0], [0], [5], 3, ["r"]),
        };
        Assert.Contains("entity", Assert.Throws<InvalidDataException>(d.Validate).Message);
        Assert.Contains("relation 1", Assert.Throws<InvalidDataException>(
            (d with { Knowledge = new KnowledgeTriples([0], [1], [2], 3, ["r"]) }).Validate).Message);
        Assert.Contains("attribute 2", Assert.Throws<InvalidDataException>(
            (d with { Knowledge = null, Attributes = new ItemAttributes([1], [2], ["a", "b"]) }).Validate).Message);
        Assert.Throws<InvalidDataException>((d with { Knowledge = null, NumUsers = -1 }).Validate);
    }

    [Fact]
    public void AKgFileWithARelationAtTheInt32LimitIsRejected()
    {
        var dir = Folder();
        Recsys.IO.ArrowWriter.Write(Path.Combine(dir, "kg.arrow"),
            ("head", Recsys.IO.ArrowWriter.Int32Column([0])),
            ("relation", Recsys.IO.ArrowWriter.Int32Column([int.MaxValue])),
            ("tail", Recsys.IO.ArrowWriter.Int32Column([1])));
        var path = Path.Combine(dir, DatasetFolder.ManifestFile);
        var m = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        m["files"]!["kg"] = "kg.arrow";
        File.WriteAllText(path, m.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => DatasetFolder.Read(dir));
        Assert.Contains("kg.arrow", e.Message);
    }

    // ---- Honest numerics ----

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e39")]   // overflows float32 to +∞
    public void CsvRejectsNonFiniteRatings(string rating)
    {
        var csv = W("r.csv", $"u,i,r\na,b,5\nc,d,{rating}\n");
        var e = Assert.Throws<DataFormatException>(() =>
            CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "u", ItemColumn = "i", RatingColumn = "r" }));
        Assert.Contains("r.csv:3", e.Message);
        Assert.Equal("r", e.Field);
        Assert.Contains("finite", e.Message);
    }

    [Fact]
    public void KgcnRejectsANonFiniteWeight()
    {
        var e = Assert.Throws<DataFormatException>(() => Kgcn(KgcnRatings.Replace("\t4\n", "\tNaN\n"), KgcnLinks, KgcnKg));
        Assert.Contains("user_artists.dat:3", e.Message);
        Assert.Equal("weight", e.Field);
    }

    // ---- Clear errors: CRLF, duplicates, concept names ----

    [Fact]
    public void EveryTextImporterReadsCrlfLikeLf()
    {
        static string Crlf(string s) => s.Replace("\n", "\r\n");
        DataFiles.AssertSame(LightGcn("0 0 1\n1 2\n", "0 2\n"), LightGcn(Crlf("0 0 1\n1 2\n"), Crlf("0 2\n")));
        DataFiles.AssertSame(Kgat("0 0 1\n1 2\n", "0 2\n", "0 0 3\n1 1 3\n"), Kgat(Crlf("0 0 1\n1 2\n"), Crlf("0 2\n"), Crlf("0 0 3\n1 1 3\n")));
        var lf = Kgcn(KgcnRatings, KgcnLinks, KgcnKg);
        var crlf = Kgcn(Crlf(KgcnRatings), Crlf(KgcnLinks), Crlf(KgcnKg));
        DataFiles.AssertSame(lf, crlf);
        Assert.Equal(["music.genre", "music.origin"], crlf.Knowledge!.RelationNames);
        SequenceImportOptions Seq(Func<string, string> f) => new()
        {
            InputFile = W("s.txt", f("1 1 2 3\n2 2 3 1\n")),
            AttributesFile = W("a.tsv", f("item_id\tasin\tattributes\n1\tX\tA|B\n3\tY\tB\n")),
            Name = "s",
        };
        var s1 = SequenceImporter.Import(Seq(s => s));
        var s2 = SequenceImporter.Import(Seq(Crlf));
        Assert.Equal(s1.Attributes!.Names, s2.Attributes!.Names);
        DataFiles.AssertSame(s1, s2);
        CsvImportOptions Csv(Func<string, string> f) => new()
        {
            InputFile = W("c.csv", f("u,i,r\na,b,1\n\"c\",d,2\n")), UserColumn = "u", ItemColumn = "i", RatingColumn = "r", Name = "c",
        };
        DataFiles.AssertSame(CsvImporter.Import(Csv(s => s)), CsvImporter.Import(Csv(Crlf)));
    }

    [Fact]
    public void ARepeatedKgTripleIsRejectedNamingBothLines()
    {
        var e = Assert.Throws<DataFormatException>(() => Kgat("0 0 1\n", "1 2\n", "0 0 3\n1 1 3\n0 0 3\n"));
        Assert.Contains("kg_final.txt:3", e.Message);
        Assert.Contains("line 1", e.Message);
        Assert.Contains("(head 0, relation 0, tail 3)", e.Message);
        var n = Assert.Throws<DataFormatException>(() => Kgcn(KgcnRatings, KgcnLinks, KgcnKg + "1\tmusic.genre\t3\n"));
        Assert.Contains("kg.txt:4", n.Message);
        Assert.Contains("relation music.genre", n.Message);
    }

    [Fact]
    public void DuplicateErrorsPrintRawIdsNotDenseOnes()
    {
        var csv = W("r.csv", "u,i\nalice,book\nbob,pen\nalice,book\n");
        var e = Assert.Throws<DataFormatException>(() => CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "u", ItemColumn = "i" }));
        Assert.Contains("(user alice, item book)", e.Message);
        var k = Assert.Throws<DataFormatException>(() => Kgcn(KgcnRatings + "9\t102\t5\n", KgcnLinks, KgcnKg));
        Assert.Contains("user_artists.dat:6", k.Message);
        Assert.Contains("(user 9, item 102)", k.Message);   // raw user and artist ids
        var s = Assert.Throws<DataFormatException>(() => SequenceImporter.Import(new SequenceImportOptions { InputFile = W("s.txt", "1 4 5 4\n") }));
        Assert.Contains("(user 1, item 4)", s.Message);     // 1-based, as in the file
    }

    [Fact]
    public void ASecondSequenceLineOrAttributeLineForTheSameIdIsRejected()
    {
        var e = Assert.Throws<DataFormatException>(() => SequenceImporter.Import(new SequenceImportOptions { InputFile = W("s.txt", "1 1 2\n2 1\n1 3 4\n") }));
        Assert.Contains("s.txt:3", e.Message);
        Assert.Contains("line 1", e.Message);
        var a = Assert.Throws<DataFormatException>(() => SequenceImporter.Import(new SequenceImportOptions
        {
            InputFile = W("s2.txt", "1 1 2\n"),
            AttributesFile = W("a.tsv", "item_id\tasin\tattributes\n1\tX\tA\n2\tY\tB\n1\tZ\tC\n"),
        }));
        Assert.Contains("a.tsv:4", a.Message);
    }

    [Fact]
    public void LibraryErrorsNameConceptsNotCliFlags()
    {
        var errors = new Exception[]
        {
            Assert.ThrowsAny<ArgumentException>(() => new CsvImportOptions { InputFile = "x", UserColumn = "", ItemColumn = "i" }.Validate()),
            Assert.ThrowsAny<ArgumentException>(() => new CsvImportOptions { InputFile = "x", UserColumn = "u", ItemColumn = "i", MinRating = 3 }.Validate()),
            Assert.ThrowsAny<ArgumentException>(() => new KgatImportOptions { TrainFile = "a", TestFile = "b", KgFile = "" }.Validate()),
            Assert.ThrowsAny<ArgumentException>(() => new LightGcnImportOptions { TrainFile = "", TestFile = "b" }.Validate()),
            Assert.ThrowsAny<ArgumentException>(() => new KgcnImportOptions { InputFolder = "" }.Validate()),
            Assert.ThrowsAny<ArgumentException>(() => new SequenceImportOptions { InputFile = "" }.Validate()),
            Assert.ThrowsAny<ArgumentException>(() => CsvImporter.Import(new CsvImportOptions
                { InputFile = W("n.csv", "a,b\n"), UserColumn = "0", ItemColumn = "x", HasHeader = false })),
        };
        foreach (var e in errors) Assert.DoesNotContain("--", e.Message);
        Assert.Equal("MinRating", ((ArgumentException)errors[1]).ParamName);
        Assert.Equal("KgFile", ((ArgumentException)errors[2]).ParamName);
        Assert.Equal("ItemColumn", ((ArgumentException)errors[6]).ParamName);
    }

    [Fact]
    public void OverlongProblemsAreCut()
    {
        var e = new DataFormatException("f", 1, null, new string('x', 1_000_000));
        Assert.True(e.Message.Length < 600, $"message length {e.Message.Length}");
    }
}
