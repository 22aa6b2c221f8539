using Recsys.Devices;
using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

public class TorchMipsIndexTests : MipsIndexContract
{
    protected override IMipsIndex Create(float[] items, int dim) => new TorchMipsIndex(items, dim, new TorchMipsOptions { Device = DeviceChoice.Cpu });

    [Fact]
    public void SameIdsAsCpuBackendOnIntegerDataWithTiesAndExclusions()
    {
        // Integer vectors make every score exact on both backends, so ties must be broken identically (lower id).
        const int d = 12, m = 250, n = 60, k = 20;
        var items = MipsTestData.Integers(m, d, 21);
        var queries = MipsTestData.Integers(n, d, 22);
        var ex = MipsTestData.RandomExclusions(n, m, 0.1, 23);
        using var cpu = new ExactCpuMipsIndex(items, d);
        // A tiny block budget forces several query blocks.
        using var torch = new TorchMipsIndex(items, d, new TorchMipsOptions { Device = DeviceChoice.Cpu, BlockBytes = 16 * 1024 });
        var a = cpu.Search(queries, k, ex);
        var b = torch.Search(queries, k, ex);
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Scores, b.Scores);
    }

    [Fact]
    public void PadsWhenKExceedsCandidates()
    {
        const int d = 3, m = 6;
        var items = MipsTestData.Integers(m, d, 24);
        var queries = MipsTestData.Integers(2, d, 25);
        var ex = new Exclusions([0, 3, 3], [0, 2, 4]);
        using var torch = new TorchMipsIndex(items, d, new TorchMipsOptions { Device = DeviceChoice.Cpu });
        var r = torch.Search(queries, 9, ex);
        Assert.Equal(MipsTestData.Reference(items, queries, d, 9, ex).Ids, r.Ids);
        Assert.Equal(new[] { -1, -1, -1, -1, -1, -1 }, r.IdsOf(0)[3..].ToArray());
    }

    [Fact]
    public void FloatDataMatchesReferenceIds()
    {
        const int d = 32, m = 400, n = 30, k = 10;
        var items = MipsTestData.Uniform(m, d, 26);
        var queries = MipsTestData.Uniform(n, d, 27);
        using var torch = new TorchMipsIndex(items, d, new TorchMipsOptions { Device = DeviceChoice.Cpu });
        var r = torch.Search(queries, k);
        var want = MipsTestData.Reference(items, queries, d, k);
        Assert.Equal(want.Ids, r.Ids);
        for (int i = 0; i < want.Scores.Length; i++) Assert.Equal(want.Scores[i], r.Scores[i], 1e-4f);
    }

    [Fact]
    public void CudaWithoutCudaThrowsInsteadOfFallingBackToCpu()
    {
        var o = new TorchMipsOptions { Device = DeviceChoice.Cuda() };
        if (TorchSharp.torch.cuda.is_available())
        {
            using var index = new TorchMipsIndex(new float[4], 2, o);
            Assert.Equal(TorchSharp.DeviceType.CUDA, index.Device.type);
        }
        else Assert.Throws<ArgumentOutOfRangeException>(() => new TorchMipsIndex(new float[4], 2, o));
    }
}
