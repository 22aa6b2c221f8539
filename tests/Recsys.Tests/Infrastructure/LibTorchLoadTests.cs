using static TorchSharp.torch;

namespace Recsys.Tests.Infrastructure;

/// <summary>Proves the native libtorch loads on this machine (see build/TorchSharpGlibcxxPatch.targets).</summary>
public class LibTorchLoadTests
{
    [Fact]
    public void LibTorchLoadsAndMultiplies()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, b.data<float>().ToArray());
    }
}
