using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data.SemanticIds;

public class SemanticIdCodesTests
{
    [Fact]
    public void DisambiguationNumbersCollisionGroupsInItemOrder()
    {
        // Items 0, 2, 3 share (1, 0); item 1 is alone.
        var codes = SemanticIdCodes.Disambiguate(4, [2, 3], [1, 0, 0, 2, 1, 0, 1, 0], "test");
        Assert.Equal([2, 3, 3], codes.Cardinalities);
        Assert.Equal([1, 0, 0], codes.Of(0).ToArray());
        Assert.Equal([0, 2, 0], codes.Of(1).ToArray());
        Assert.Equal([1, 0, 1], codes.Of(2).ToArray());
        Assert.Equal([1, 0, 2], codes.Of(3).ToArray());
    }

    [Fact]
    public void FileRoundTripKeepsCodesCardinalitiesAndMethod()
    {
        var codes = SemanticIdCodes.Disambiguate(5, [4, 4], [3, 1, 0, 0, 3, 1, 2, 2, 0, 1], "rqkmeans");
        var path = Path.Combine(TestPaths.NewTempDir(), "codes.arrow");
        codes.Write(path);
        var back = SemanticIdCodes.Read(path, expectedItems: 5);
        Assert.Equal(codes.All.ToArray(), back.All.ToArray());
        Assert.Equal(codes.Cardinalities, back.Cardinalities);
        Assert.Equal("rqkmeans", back.Method);
        Assert.Equal(2, back.Levels);
        using var t = ArrowTable.Open(path);
        Assert.Equal(["item", "c1", "c2", "dedup"], t.Schema.FieldsList.Select(f => f.Name));
    }

    [Fact]
    public void ReadRefusesAnotherCatalogsCodes()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "codes.arrow");
        SemanticIdCodes.Disambiguate(3, [2], [0, 1, 0], "random").Write(path);
        var e = Assert.Throws<DataFormatException>(() => SemanticIdCodes.Read(path, expectedItems: 4));
        Assert.Contains("3 items", e.Message);
        Assert.Contains("4", e.Message);
    }

    [Fact]
    public void DuplicateTuplesAndOutOfRangeCodesAreRejected()
    {
        var dup = Assert.Throws<ArgumentException>(() => new SemanticIdCodes(2, [2, 1], [1, 0, 1, 0], "x"));
        Assert.Contains("items 0 and 1", dup.Message);
        var range = Assert.Throws<ArgumentException>(() => new SemanticIdCodes(2, [2, 1], [1, 0, 2, 0], "x"));
        Assert.Contains("item 1 column c1", range.Message);
    }

    [Fact]
    public void PlainArrowFileWithoutMetadataIsNotACodesFile()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "plain.arrow");
        ArrowWriter.Write(path, ("item", ArrowWriter.Int32Column([0, 1])));
        var e = Assert.Throws<DataFormatException>(() => SemanticIdCodes.Read(path));
        Assert.Contains("not a semantic-ID codes file", e.Message);
    }
}
