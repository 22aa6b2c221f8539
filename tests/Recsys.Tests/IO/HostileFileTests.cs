using System.Text;
using Recsys.Data;
using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.IO;

/// <summary>Issue 16 for <c>.npy</c> and embedding files: bounded headers and shapes, finite values, truncation named.</summary>
public class HostileFileTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    /// <summary>A version-2 .npy file with the given header text and data bytes (header length written as given).</summary>
    private string Npy(string name, string header, int dataBytes = 0, uint? headerLength = null)
    {
        var path = Path.Combine(_dir, name);
        using var s = File.Create(path);
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0]);
        var h = Encoding.ASCII.GetBytes(header);
        s.Write(BitConverter.GetBytes(headerLength ?? (uint)h.Length));
        s.Write(h);
        s.Write(new byte[dataBytes]);
        return path;
    }

    private DataFormatException Bad(string path)
    {
        var e = Assert.Throws<DataFormatException>(() => NpyFile.ReadFloat32(path, out _, out _));
        Assert.Contains(Path.GetFileName(path), e.Message);
        Assert.True(e.Message.Length < 1000, $"message of {e.Message.Length} characters");
        return e;
    }

    [Theory]
    [InlineData("(3000000000, 2)")]          // beyond int32
    [InlineData("(2147483647, 2147483647)")]  // product overflows an array
    [InlineData("(99999999999999999999999,)")]
    [InlineData("(-1, 2)")]
    public void ShapesBeyondInt32OrOverflowingAreDataFormatErrors(string shape)
    {
        var e = Bad(Npy("s.npy", $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}\n", 8));
        Assert.Equal("shape", e.Field);
    }

    [Theory]
    [InlineData(0xFFFF_FFFFu)]   // negative as int32
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(1_000_000u)]     // beyond the file
    public void BadHeaderLengthsAreDataFormatErrors(uint length)
    {
        var e = Bad(Npy("h.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", 4, length));
        Assert.Equal("header", e.Field);
    }

    [Fact]
    public void AnOverlongHeaderIsRejectedWithoutEchoingIt()
    {
        var big = new string('x', 15 << 20);
        Bad(Npy("big.npy", $"{{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'junk': '{big}'}}\n", 4));
        // Within the header limit but with a 60 KB descr: the message shows a bounded part of it.
        Bad(Npy("descr.npy", $"{{'descr': '{new string('y', 60_000)}', 'fortran_order': False, 'shape': (1,), }}\n", 4));
    }

    [Fact]
    public void TruncatedFilesNameTheFile()
    {
        var npy = Path.Combine(_dir, "t.npy");
        NpyFile.WriteFloat32(npy, new float[12], 3, 4);
        var bytes = File.ReadAllBytes(npy);
        File.WriteAllBytes(npy, bytes[..^5]);
        Assert.Contains("truncated", Bad(npy).Message);
        File.WriteAllBytes(npy, bytes[..11]);
        Bad(npy);
        var arrow = Path.Combine(_dir, "t.arrow");
        EmbeddingFile.Write(arrow, new float[12], 3, 4);
        var ab = File.ReadAllBytes(arrow);
        File.WriteAllBytes(arrow, ab[..(ab.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => EmbeddingFile.Read(arrow, out _, out _));
        Assert.Contains("t.arrow", e.Message);
    }

    [Theory]
    [InlineData("e.npy", float.NaN)]
    [InlineData("e.arrow", float.PositiveInfinity)]
    [InlineData("e.npy", float.NegativeInfinity)]
    public void NonFiniteEmbeddingsAreRejectedWithRowAndColumn(string name, float bad)
    {
        var path = Path.Combine(_dir, name);
        var v = new float[] { 1, 2, 3, 4, 5, 6 };
        v[3] = bad;   // row 1, column 1 of [3, 2]
        EmbeddingFile.Write(path, v, 3, 2);
        var e = Assert.Throws<DataFormatException>(() => EmbeddingFile.Read(path, out _, out _));
        Assert.Contains(name, e.Message);
        Assert.Contains("row 1", e.Message);
        Assert.Contains("column 1", e.Message);
    }
}
