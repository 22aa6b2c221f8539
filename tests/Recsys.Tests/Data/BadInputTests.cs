using Recsys.Data;
using Recsys.Data.Import;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

/// <summary>Every bad input names the file, the 1-based line and what is wrong.</summary>
public class BadInputTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    private DataFormatException LightGcn(string train, string test)
    {
        var tr = DataFiles.Write(_dir, "train.txt", train);
        var te = DataFiles.Write(_dir, "test.txt", test);
        return Assert.Throws<DataFormatException>(() =>
            LightGcnImporter.Import(new LightGcnImportOptions { TrainFile = tr, TestFile = te }));
    }

    [Fact]
    public void NonIntegerTokenNamesFileLineAndField()
    {
        var e = LightGcn("0 1 2\n1 3 x4\n", "0 5\n");
        Assert.EndsWith("train.txt", e.File);
        Assert.Equal(2, e.Line);
        Assert.Equal("item", e.Field);
        Assert.Contains("train.txt:2", e.Message);
        Assert.Contains("'x4' is not an integer", e.Message);
    }

    [Fact]
    public void NegativeIdIsRejected()
    {
        var e = LightGcn("0 1\n", "0 2\n-1 3\n");
        Assert.Contains("test.txt:2", e.Message);
        Assert.Equal("user", e.Field);
        Assert.Contains("negative id '-1'", e.Message);
    }

    [Fact]
    public void TooLargeIdIsRejected()
    {
        var e = LightGcn("0 99999999999\n", "0 2\n");
        Assert.Contains("train.txt:1", e.Message);
        Assert.Contains("too large", e.Message);
    }

    [Fact]
    public void DuplicatePairInOneFileNamesBothLines()
    {
        var e = LightGcn("0 1 2\n1 2\n0 3 1\n", "0 5\n");
        Assert.Contains("train.txt:3", e.Message);
        Assert.Contains("line 1", e.Message);
        Assert.Contains("duplicate pair (user 0, item 1)", e.Message);
    }

    [Fact]
    public void PairInBothTrainAndTestIsAnError()
    {
        var e = LightGcn("0 1 2\n1 2 4\n", "0 5\n1 4\n");
        Assert.Contains("test.txt:2", e.Message);
        Assert.Contains("train.txt line 2", e.Message);
        Assert.Contains("(user 1, item 4)", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n \n")]
    public void EmptyFileIsAnError(string content)
    {
        var e = LightGcn("0 1\n", content);
        Assert.EndsWith("test.txt", e.File);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var tr = DataFiles.Write(_dir, "train.txt", "0 1\n");
        var missing = Path.Combine(_dir, "nope.txt");
        var e = Assert.Throws<DataFormatException>(() =>
            LightGcnImporter.Import(new LightGcnImportOptions { TrainFile = tr, TestFile = missing }));
        Assert.Equal(missing, e.File);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void KgLineWithTooFewFieldsNamesTheField()
    {
        var tr = DataFiles.Write(_dir, "train.txt", "0 1\n");
        var te = DataFiles.Write(_dir, "test.txt", "0 2\n");
        var kg = DataFiles.Write(_dir, "kg_final.txt", "0 1 2\n3 4\n");
        var e = Assert.Throws<DataFormatException>(() =>
            KgatImporter.Import(new KgatImportOptions { TrainFile = tr, TestFile = te, KgFile = kg }));
        Assert.Contains("kg_final.txt:2", e.Message);
        Assert.Equal("tail", e.Field);
    }

    [Fact]
    public void SequenceIdZeroIsRejectedAsNotOneBased()
    {
        var seq = DataFiles.Write(_dir, "seq.txt", "1 1 2\n2 0 3\n");
        var e = Assert.Throws<DataFormatException>(() => SequenceImporter.Import(new SequenceImportOptions { InputFile = seq }));
        Assert.Contains("seq.txt:2", e.Message);
        Assert.Contains("1-based", e.Message);
    }

    [Fact]
    public void CsvBadRatingAndUnknownColumnAreNamed()
    {
        var csv = DataFiles.Write(_dir, "r.csv", "u,i,r\na,b,5\nc,d,five\n");
        var e = Assert.Throws<DataFormatException>(() => CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "u", ItemColumn = "i", RatingColumn = "r" }));
        Assert.Contains("r.csv:3", e.Message);
        Assert.Equal("r", e.Field);
        var e2 = Assert.Throws<DataFormatException>(() => CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "user", ItemColumn = "i" }));
        Assert.Contains("no column named 'user'", e2.Message);
    }

    [Fact]
    public void CsvDuplicatePairNamesBothLines()
    {
        var csv = DataFiles.Write(_dir, "r.csv", "u,i\na,b\nc,d\na,b\n");
        var e = Assert.Throws<DataFormatException>(() => CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "u", ItemColumn = "i" }));
        Assert.Contains("r.csv:4", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void CsvShortRowIsNamed()
    {
        var csv = DataFiles.Write(_dir, "r.csv", "u,i\na,b\nc\n");
        var e = Assert.Throws<DataFormatException>(() => CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "u", ItemColumn = "i" }));
        Assert.Contains("r.csv:3", e.Message);
        Assert.Contains("expected at least 2 fields", e.Message);
    }
}
