using System.Diagnostics;
using Recsys.Data;
using Recsys.Models;
using Recsys.Retrieval.Recommenders;
using Recsys.Tables.SemanticId;
using Xunit.Abstractions;

namespace Recsys.Tests.Models.Tiger;

/// <summary>
/// A fact that runs only when RECSYS_TIGER_BENCH names a dataset folder and a codes file ("DATA,CODES");
/// RECSYS_TIGER_BENCH_THREADS sets libtorch's thread count, which the generator spends as chunk workers (default 1).
/// </summary>
public sealed class TigerBenchFactAttribute : FactAttribute
{
    public TigerBenchFactAttribute()
    {
        if (TigerDecodingBenchTests.Inputs() is null) Skip = "set RECSYS_TIGER_BENCH=DATA,CODES to time TIGER's decoding on a real dataset";
    }
}

[Trait("Category", "Slow")]
public class TigerDecodingBenchTests(ITestOutputHelper output)
{
    internal static (string Data, string Codes)? Inputs() =>
        Environment.GetEnvironmentVariable("RECSYS_TIGER_BENCH")?.Split(',') is [var d, var c] && Directory.Exists(d) && File.Exists(c) ? (d, c) : null;

    /// <summary>
    /// Decoding cost of TIGER's default architecture (4 + 4 layers, 6 × 64 heads, width 128, FF 1024) at beam 20: every
    /// user of the dataset, their training + validation history, top 20 with seen items excluded — what a test
    /// evaluation decodes, with RECSYS_TIGER_BENCH_THREADS threads (default 1). Weights are untrained (the work per user
    /// does not depend on them). Prints wall and CPU
    /// seconds and users per second; asserts every output is an unseen catalog item (or −1 padding: a beam whose last
    /// prefixes lead only to excluded items returns fewer than K).
    /// </summary>
    [TigerBenchFact]
    public void DecodesEveryUserOfTheDataset()
    {
        var (dataDir, codesPath) = Inputs()!.Value;
        var data = DatasetFolder.Read(dataDir);
        var inputs = ModelInputs.From(data);
        var options = new TigerOptions { Codes = Path.GetFullPath(codesPath), CodesSha256 = SemanticIdTableSpec.Sha256Of(codesPath) };
        int threads = int.TryParse(Environment.GetEnvironmentVariable("RECSYS_TIGER_BENCH_THREADS"), out int t) ? t : 1;
        int before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(threads);
        using var model = (Recsys.Models.Tiger)options.Create(inputs, 1);
        var generator = (TigerGenerator)model.Snapshot().Generator!;
        var known = RecommenderData.From(data, withValidation: true);
        var users = Enumerable.Range(0, data.NumUsers).ToArray();
        var histories = users.Select(u => known.History!(u)).ToArray();
        var exclude = users.Select(u => known.Seen!.Row(u).ToArray()).ToArray();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (ids, _) = generator.Generate(users, histories, 20, exclude);
        clock.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        TorchSharp.torch.set_num_threads(before);
        output.WriteLine($"tiger decoding: {users.Length} users, beam 20, k 20, {threads} thread(s): {clock.Elapsed.TotalSeconds:F1} s wall, {cpu:F1} s cpu, {users.Length / clock.Elapsed.TotalSeconds:F0} users/s wall, {users.Length / cpu:F0} users/s per cpu-second, {model.ParameterCount:N0} parameters");
        int padded = 0;
        for (int q = 0; q < users.Length; q++)
            for (int j = 0; j < 20; j++)
            {
                int item = ids[q * 20 + j];
                if (item < 0) { padded++; continue; }
                Assert.InRange(item, 0, data.NumItems - 1);
                Assert.DoesNotContain(item, exclude[q]);
            }
        output.WriteLine($"padded slots (fewer than 20 unseen items reached): {padded} of {users.Length * 20}");
        Assert.True(padded < users.Length * 20 / 10, "most slots hold items");
        generator.Dispose();
    }
}
