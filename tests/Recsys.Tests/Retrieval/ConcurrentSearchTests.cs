using Recsys.Retrieval.Mips;

namespace Recsys.Tests.Retrieval;

/// <summary>IMipsIndex promises that Search is safe from many threads at once: every index gives the sequential answer.</summary>
public class ConcurrentSearchTests
{
    public static TheoryData<string> Kinds => new() { "brute", "cpu", "int8", "torch", "sharded", "idmap", "refine" };

    private static IMipsIndex Create(string kind, float[] items, int dim) => kind switch
    {
        "brute" => new BruteForceMipsIndex(items, dim),
        "cpu" => new ExactCpuMipsIndex(items, dim),
        "int8" => new Int8MipsIndex(items, dim),
        "torch" => new TorchMipsIndex(items, dim, new TorchMipsOptions { Device = Recsys.Devices.DeviceChoice.Cpu }),
        "sharded" => Shards.OverRanges(items, dim, 3, x => new ExactCpuMipsIndex(x, dim)),
        "idmap" => IdMapIndexTests.Shuffled(items, dim, seed: 5),
        _ => new RefineIndex(new Int8ScanIndex(items, dim), items, dim),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ConcurrentSearchesEqualSequentialOnes(string kind)
    {
        int count = 1500, dim = 16, n = 24, k = 10, threads = 8;
        var items = MipsTestData.Integers(count, dim, seed: 91);
        var queries = Enumerable.Range(0, threads).Select(t => MipsTestData.Integers(n, dim, seed: 100 + t)).ToArray();
        var ex = Enumerable.Range(0, threads).Select(t => MipsTestData.RandomExclusions(n, count, 0.01, seed: 200 + t)).ToArray();
        using var index = Create(kind, items, dim);
        var sequential = Enumerable.Range(0, threads).Select(t => index.Search(queries[t], k, ex[t])).ToArray();
        for (int round = 0; round < 3; round++)
        {
            var concurrent = new MipsResult[threads];
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                concurrent[t] = index.Search(queries[t], k, ex[t]);
            })).ToArray();
            foreach (var w in workers) w.Start();
            foreach (var w in workers) w.Join();
            for (int t = 0; t < threads; t++)
            {
                Assert.Equal(sequential[t].Ids, concurrent[t].Ids);
                Assert.Equal(sequential[t].Scores, concurrent[t].Scores);
            }
        }
    }
}
