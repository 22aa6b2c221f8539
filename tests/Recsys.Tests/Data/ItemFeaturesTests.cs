using Apache.Arrow.Types;
using Recsys.Data;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

public class ItemFeaturesTests
{
    private static Dataset WithFeatures(ItemFeatures? f, int numItems = 3) => new()
    {
        Name = "feat", NumUsers = 2, NumItems = numItems,
        Train = new Interactions([0, 1], [0, 2]),
        Test = new Interactions([1], [1]),
        ItemFeatures = f,
    };

    [Fact]
    public void RowsAreRowMajor()
    {
        var f = new ItemFeatures(3, 2, [1, 2, 3, 4, 5, 6]);
        Assert.Equal([3f, 4f], f.Row(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Row(3).ToArray());
    }

    [Fact]
    public void ConstructorChecksLengthAndFiniteness()
    {
        Assert.Throws<ArgumentException>(() => new ItemFeatures(3, 2, [1, 2, 3]));
        var e = Assert.Throws<ArgumentException>(() => new ItemFeatures(2, 3, [0, 0, 0, 0, float.NaN, 0]));
        Assert.Contains("item 1 feature 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ItemFeatures(2, 0, []));
    }

    [Fact]
    public void DatasetFolderRoundTripsItemFeatures()
    {
        var d = WithFeatures(new ItemFeatures(3, 2, [1, 2, 3, 4, 5, float.MaxValue]));
        var back = DataFiles.RoundTrip(d);
        Assert.Equal(2, back.ItemFeatures!.Dim);
    }

    [Fact]
    public void FileHasThePyarrowLayoutAndIsListedInTheManifest()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "ds");
        DatasetFolder.Write(WithFeatures(new ItemFeatures(3, 4, new float[12])), dir);
        Assert.Contains("\"item_features\": \"item_features.arrow\"", File.ReadAllText(Path.Combine(dir, "dataset.json")));
        using var t = ArrowTable.Open(Path.Combine(dir, "item_features.arrow"));
        Assert.IsType<Int32Type>(t.Schema.GetFieldByName("item").DataType);
        var list = Assert.IsType<FixedSizeListType>(t.Schema.GetFieldByName("features").DataType);
        Assert.Equal(4, list.ListSize);
        Assert.IsType<FloatType>(list.ValueDataType);
        Assert.Equal([0, 1, 2], t.Int32("item"));
    }

    [Fact]
    public void RowsInAnyOrderArePlacedByItem()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "ds");
        DatasetFolder.Write(WithFeatures(new ItemFeatures(3, 1, [0, 0, 0])), dir);
        ArrowWriter.Write(Path.Combine(dir, "item_features.arrow"),
            ("item", ArrowWriter.Int32Column([2, 0, 1])),
            ("features", ArrowWriter.FloatVectorColumn([20f, 0f, 10f], 1)));
        Assert.Equal([0f, 10f, 20f], DatasetFolder.Read(dir).ItemFeatures!.Values);
    }

    [Theory]
    [InlineData(new[] { 0, 0, 1 }, new[] { 1f, 2f, 3f }, "item 0 appears at rows 0 and 1")]
    [InlineData(new[] { 0, 1, 7 }, new[] { 1f, 2f, 3f }, "item 7 at row 2 is outside 0..2")]
    [InlineData(new[] { 0, 1 }, new[] { 1f, 2f }, "has 2 rows; expected one per item (3)")]
    [InlineData(new[] { 2, 1, 0 }, new[] { 1f, float.PositiveInfinity, 3f }, "row 1 (item 1), column 0")]
    public void BadFeatureFilesNameTheFileAndRow(int[] items, float[] values, string problem)
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "ds");
        DatasetFolder.Write(WithFeatures(new ItemFeatures(3, 1, [0, 0, 0])), dir);
        ArrowWriter.Write(Path.Combine(dir, "item_features.arrow"),
            ("item", ArrowWriter.Int32Column(items)),
            ("features", ArrowWriter.FloatVectorColumn(values, 1)));
        var e = Assert.Throws<DataFormatException>(() => DatasetFolder.Read(dir));
        Assert.Contains("item_features.arrow", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void ValidateRejectsAFeatureCountOtherThanTheItemCount()
    {
        var d = WithFeatures(new ItemFeatures(2, 1, [0, 0]));
        Assert.Throws<InvalidDataException>(d.Validate);
    }
}
