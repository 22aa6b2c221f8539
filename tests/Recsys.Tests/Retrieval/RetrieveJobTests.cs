using System.Text.Json;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Devices;
using Recsys.IO;
using Recsys.Retrieval.Mips;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Retrieval;

public class RetrieveJobTests
{
    private static (string Dir, float[] Items, float[] Queries) Files(int m, int n, int d)
    {
        var dir = TestPaths.NewTempDir();
        var items = MipsTestData.Integers(m, d, 41);
        var queries = MipsTestData.Integers(n, d, 42);
        NpyFile.WriteFloat32(Path.Combine(dir, "items.npy"), items, m, d);
        NpyFile.WriteFloat32(Path.Combine(dir, "queries.npy"), queries, n, d);
        return (dir, items, queries);
    }

    [Theory]
    [InlineData(MipsBackend.Cpu)]
    [InlineData(MipsBackend.Torch)]
    public void WritesIdsAndScoresWithPairExclusions(MipsBackend backend)
    {
        const int m = 40, n = 5, d = 6, k = 4;
        var (dir, items, queries) = Files(m, n, d);
        // Exclude (0, 3), (0, 7), (4, 1) — given unsorted, as int32 pairs.
        NpyFile.WriteInt32(Path.Combine(dir, "ex.npy"), new[] { 0, 7, 4, 1, 0, 3 }, 3, 2);
        var s = RetrieveJob.Run(new RetrieveRequest
        {
            QueriesPath = Path.Combine(dir, "queries.npy"), ItemsPath = Path.Combine(dir, "items.npy"),
            OutPath = Path.Combine(dir, "ids.npy"), K = k, ExcludePath = Path.Combine(dir, "ex.npy"), Index = new MipsIndexChoice { Backend = backend, Device = DeviceChoice.Cpu },
        });
        Assert.Equal(3, s.ExcludedPairs);
        Assert.Equal(Path.Combine(dir, "ids.scores.npy"), s.ScoresPath);
        var ids = NpyFile.ReadInt32(s.IdsPath, out int rows, out int cols);
        var scores = NpyFile.ReadFloat32(s.ScoresPath, out _, out _);
        Assert.Equal((n, k), (rows, cols));
        var want = MipsTestData.Reference(items, queries, d, k, new Exclusions([0, 2, 2, 2, 2, 3], [3, 7, 1]));
        Assert.Equal(want.Ids, ids);
        Assert.Equal(want.Scores, scores);
    }

    [Fact]
    public void CliInt8BackendWithCoveringOverFetchIsExact()
    {
        const int m = 40, n = 5, d = 6, k = 4;
        var (dir, items, queries) = Files(m, n, d);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["retrieve", "--queries", Path.Combine(dir, "queries.npy"), "--items", Path.Combine(dir, "items.npy"),
            "--k", $"{k}", "--backend", "int8", "--overfetch", "10", "--out", Path.Combine(dir, "o.npy"), "--json"], stdout, stderr);
        Assert.True(rc == 0, stderr.ToString());
        Assert.Contains("int8", stdout.ToString());
        var want = MipsTestData.Reference(items, queries, d, k);
        Assert.Equal(want.Ids, NpyFile.ReadInt32(Path.Combine(dir, "o.npy"), out _, out _));
        Assert.Equal(want.Scores, NpyFile.ReadFloat32(Path.Combine(dir, "o.scores.npy"), out _, out _));
        Assert.Equal(CliRunner.BadInput, CliRunner.Run(CliApp.Build(), ["retrieve", "--queries", Path.Combine(dir, "queries.npy"),
            "--items", Path.Combine(dir, "items.npy"), "--backend", "int8", "--overfetch", "0", "--out", Path.Combine(dir, "p.npy")], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void DatasetFolderExcludesTrainingItems()
    {
        const int m = 10, n = 3, d = 4;
        var (dir, items, queries) = Files(m, n, d);
        var ds = new Dataset
        {
            Name = "tiny", NumUsers = n, NumItems = m,
            Train = new Interactions([0, 0, 2], [1, 5, 9]), Test = new Interactions([1], [2]),
        };
        DatasetFolder.Write(ds, Path.Combine(dir, "ds"));
        var ex = RetrieveJob.LoadExclusions(Path.Combine(dir, "ds"), n, m);
        Assert.Equal(new[] { 1, 5 }, ex.Row(0).ToArray());
        Assert.Empty(ex.Row(1).ToArray());
        Assert.Equal(new[] { 9 }, ex.Row(2).ToArray());
        Assert.Throws<DataFormatException>(() => RetrieveJob.LoadExclusions(Path.Combine(dir, "ds"), n + 1, m));
    }

    [Fact]
    public void OutOfRangePairIsADataFormatError()
    {
        var (dir, _, _) = Files(10, 3, 4);
        NpyFile.WriteInt32(Path.Combine(dir, "ex.npy"), new[] { 0, 1, 2, 10 }, 2, 2);
        var e = Assert.Throws<DataFormatException>(() => RetrieveJob.LoadExclusions(Path.Combine(dir, "ex.npy"), 3, 10));
        Assert.Contains("item", e.Message);
    }

    [Fact]
    public void CliRetrieveWritesFilesAndJson()
    {
        var (dir, items, queries) = Files(50, 7, 8);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["retrieve", "--queries", Path.Combine(dir, "queries.npy"), "--items", Path.Combine(dir, "items.npy"),
            "--k", "5", "--out", Path.Combine(dir, "top.npy"), "--json"], stdout, stderr);
        Assert.True(rc == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(7, doc.RootElement.GetProperty("queries").GetInt32());
        var ids = NpyFile.ReadInt32(Path.Combine(dir, "top.npy"), out _, out _);
        Assert.Equal(MipsTestData.Reference(items, queries, 8, 5).Ids, ids);
        Assert.True(File.Exists(Path.Combine(dir, "top.scores.npy")));
    }

    [Fact]
    public void CliRetrieveRejectsDimensionMismatch()
    {
        var dir = TestPaths.NewTempDir();
        NpyFile.WriteFloat32(Path.Combine(dir, "items.npy"), new float[12], 3, 4);
        NpyFile.WriteFloat32(Path.Combine(dir, "queries.npy"), new float[10], 2, 5);
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["retrieve", "--queries", Path.Combine(dir, "queries.npy"), "--items", Path.Combine(dir, "items.npy"),
            "--out", Path.Combine(dir, "o.npy")], new StringWriter(), stderr);
        Assert.Equal(CliRunner.BadInput, rc);
        Assert.Contains("dimension", stderr.ToString());
    }

    [Fact]
    public void CliRejectsAnUnknownDevice()
    {
        var (dir, _, _) = Files(4, 2, 3);
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["retrieve", "--queries", Path.Combine(dir, "queries.npy"), "--items", Path.Combine(dir, "items.npy"),
            "--backend", "torch", "--device", "tpu", "--out", Path.Combine(dir, "o.npy")], new StringWriter(), stderr);
        Assert.Equal(CliRunner.BadInput, rc);
        Assert.Contains("--device: expected auto, cpu, cuda or cuda:N", stderr.ToString());
    }

    [Fact]
    public void CliBenchMipsJsonReportsAgreeingBackends()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["bench", "mips", "--queries", "50", "--items", "300", "--dim", "16", "--k", "5",
            "--repeats", "1", "--device", "cpu", "--all-kernels", "--json"], stdout, stderr);
        Assert.True(rc == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.True(root.GetProperty("agree").GetBoolean());
        var names = root.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("backend").GetString()).ToList();
        Assert.Contains("torch", names);
        Assert.Contains("mm+topk", names);
        Assert.Contains(names, n => n!.StartsWith("cpu-", StringComparison.Ordinal));
        Assert.Contains(names, n => n!.StartsWith("int8-", StringComparison.Ordinal));
        foreach (var r in root.GetProperty("rows").EnumerateArray())
        {
            bool approximate = r.GetProperty("approximate").GetBoolean();
            Assert.Equal(r.GetProperty("backend").GetString()!.StartsWith("int8-", StringComparison.Ordinal), approximate);
            // The int8 rows are approximate by design; on 300 items with 4× over-fetch they still find nearly everything.
            if (approximate) Assert.InRange(r.GetProperty("idOverlap").GetDouble(), 0.95, 1.0);
            else Assert.Equal(1.0, r.GetProperty("idOverlap").GetDouble(), 3);
            Assert.True(r.GetProperty("speedupVsCpu").GetDouble() > 0);
        }
    }

    [Fact]
    public void CliBenchMipsCpuOnlyJsonHasNoBaseline()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["bench", "mips", "--queries", "20", "--items", "100", "--dim", "8", "--k", "3",
            "--repeats", "1", "--cpu-only", "--overfetch", "0", "--json"], stdout, stderr);
        Assert.True(rc == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var row = Assert.Single(doc.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("speedupVsMmTopk").ValueKind);
        Assert.Equal(1.0, row.GetProperty("speedupVsCpu").GetDouble());
    }

    [Fact]
    public void CliBenchMipsReadsARunFoldersEmbeddings()
    {
        var dir = TestPaths.NewTempDir();
        var run = new Recsys.Training.RunFolder(dir);
        Recsys.IO.EmbeddingFile.Write(run.UserEmbeddingsFile, MipsTestData.Uniform(30, 12, 1), 30, 12);
        Recsys.IO.EmbeddingFile.Write(run.ItemEmbeddingsFile, MipsTestData.Uniform(200, 12, 2), 200, 12);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = CliRunner.Run(CliApp.Build(), ["bench", "mips", "--embeddings", dir, "--k", "4", "--repeats", "1", "--cpu-only", "--overfetch", "200", "--json"], stdout, stderr);
        Assert.True(rc == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.Equal(30, root.GetProperty("queries").GetInt32());
        Assert.Equal(200, root.GetProperty("items").GetInt32());
        Assert.Equal(12, root.GetProperty("dim").GetInt32());
        // Over-fetch 200 × k covers all 200 items, so the int8 row is exact.
        var int8 = root.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("approximate").GetBoolean());
        Assert.Equal(1.0, int8.GetProperty("idOverlap").GetDouble());
        Assert.Equal(0.0, int8.GetProperty("maxScoreDiff").GetDouble());
    }
}
