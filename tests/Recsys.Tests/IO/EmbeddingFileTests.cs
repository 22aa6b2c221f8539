using Recsys.Data;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.IO;

public class EmbeddingFileTests
{
    private static readonly float[] Values = [1, 2, 3, 4, 5, 6];   // 3 rows × dim 2

    [Theory]
    [InlineData("e.arrow")]
    [InlineData("e.npy")]
    [InlineData("e.feather")]
    public void RoundTrip(string name)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), name);
        EmbeddingFile.Write(path, Values, 3, 2);
        var back = EmbeddingFile.Read(path, out int n, out int d);
        Assert.Equal((3, 2), (n, d));
        Assert.Equal(Values, back);
    }

    [Fact]
    public void ArrowRowsArePlacedById()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "shuffled.arrow");
        ArrowWriter.Write(path,
            ("id", ArrowWriter.Int32Column([2, 0, 1])),
            ("embedding", ArrowWriter.FloatVectorColumn(Values, 2)));
        var back = EmbeddingFile.Read(path, out int n, out _);
        Assert.Equal(3, n);
        Assert.Equal(new float[] { 3, 4, 5, 6, 1, 2 }, back);
    }

    [Theory]
    [InlineData(new[] { 0, 0, 1 }, "appears twice")]
    [InlineData(new[] { 0, 1, 3 }, "outside 0..2")]
    public void BadArrowIdsAreReported(int[] ids, string problem)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "bad.arrow");
        ArrowWriter.Write(path, ("id", ArrowWriter.Int32Column(ids)), ("embedding", ArrowWriter.FloatVectorColumn(Values, 2)));
        var e = Assert.Throws<DataFormatException>(() => EmbeddingFile.Read(path, out _, out _));
        Assert.Contains(problem, e.Message);
        Assert.Equal("id", e.Field);
    }

    [Fact]
    public void ReadsNpyWrittenByNumpy()
    {
        // np.save of np.arange(1, 7, dtype=np.float32).reshape(3, 2) (numpy ≥ 1.23 reserves 21 − len("3") spaces
        // after the dict so the shape can grow in place, then pads to 64 bytes and ends with '\n').
        var path = Path.Combine(TestPaths.NewTempDir(), "np.npy");
        File.WriteAllBytes(path, NumpyBytes(Values, 3, 2));
        Assert.Equal(Values, EmbeddingFile.Read(path, out int n, out int d));
        Assert.Equal((3, 2), (n, d));
    }

    [Fact]
    public void UnknownExtensionIsRejected() =>
        Assert.Throws<ArgumentException>(() => EmbeddingFile.Read("embeddings.csv", out _, out _));

    /// <summary>The exact bytes numpy.save writes for a C-order float32 [rows, cols] array (format 1.0).</summary>
    internal static byte[] NumpyBytes(float[] values, int rows, int cols)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        dict += new string(' ', 21 - rows.ToString().Length);
        int unpadded = 6 + 2 + 2 + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        bytes.Add((byte)(header.Length & 0xff));
        bytes.Add((byte)(header.Length >> 8));
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        Assert.Equal(0, bytes.Count % 64);
        foreach (var v in values) bytes.AddRange(BitConverter.GetBytes(v));
        return bytes.ToArray();
    }
}
