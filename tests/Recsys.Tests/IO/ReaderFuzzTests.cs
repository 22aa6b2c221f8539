using Recsys.Data;
using Recsys.Data.Import;
using Recsys.IO;
using Recsys.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recsys.Tests.IO;

/// <summary>
/// Issue 16: every reader, fed thousands of seeded mutations of a valid small file, ends in success or a
/// <see cref="DataFormatException"/> / <see cref="InvalidDataException"/> (what the CLI maps to exit 2) — never another
/// exception type — and allocates a bounded amount per case.
/// </summary>
public class ReaderFuzzTests(ITestOutputHelper log)
{
    private const int Cases = 3000;
    /// <summary>Per-case allocation bound: the inputs are a few KB, so anything near this means an input sized an allocation.</summary>
    private const long MaxBytesPerCase = 64L << 20;

    private readonly string _dir = TestPaths.NewTempDir();

    /// <summary>Fuzzes an importer; every dataset it accepts must also pass <see cref="Sane"/>.</summary>
    private void Fuzz(int seed, IReadOnlyDictionary<string, byte[]> files, Func<string, Dataset> import) =>
        Fuzz(seed, files, dir => Sane(import(dir)));

    /// <summary>
    /// What an accepted import must satisfy: valid ids, finite weights, and counts justified by the data (the dense-id
    /// rule), so a later step never sizes arrays by one stray id.
    /// </summary>
    private static void Sane(Dataset d)
    {
        d.Validate();
        long rows = d.Train.Count + (d.Valid?.Count ?? 0) + d.Test.Count + (d.Attributes?.Count ?? 0)
            + (d.ItemRawIds?.Count(r => r.Length > 0) ?? 0) + 2L * (d.Knowledge?.Count ?? 0);
        Assert.InRange(d.NumUsers, 0, 2 * rows + 1024);
        Assert.InRange(d.NumItems, 0, 2 * rows + 1024);
        if (d.Knowledge is { } kg)
        {
            Assert.InRange(kg.NumEntities, d.NumItems, 2 * (rows + d.NumItems) + 1024);
            Assert.InRange(kg.NumRelations, 0, 2L * kg.Count + 1024);
        }
        foreach (var w in new[] { d.Train, d.Valid, d.Test }.SelectMany(x => x?.Weights ?? []))
            Assert.True(float.IsFinite(w), $"weight {w} accepted");
    }

    /// <summary>Writes the valid files, then per case rewrites one of them mutated and runs <paramref name="read"/>.</summary>
    private void Fuzz(int seed, IReadOnlyDictionary<string, byte[]> files, Action<string> read, IReadOnlyList<string>? targets = null)
    {
        var dir = Path.Combine(_dir, $"fuzz{seed}");
        Directory.CreateDirectory(dir);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        read(dir);   // the unmutated input reads
        var names = targets ?? files.Keys.ToList();
        var rng = new Random(seed);
        int ok = 0, rejected = 0;
        for (int c = 0; c < Cases; c++)
        {
            var target = names[rng.Next(names.Count)];
            var mutated = FuzzMutator.Mutate(files[target], rng);
            File.WriteAllBytes(Path.Combine(dir, target), mutated);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { read(dir); ok++; }
            catch (Exception e) when (e is DataFormatException or InvalidDataException) { rejected++; }
            catch (Xunit.Sdk.XunitException e)
            {
                Assert.Fail($"case {c} (seed {seed}, {target}) was accepted but is not sane: {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"case {c} (seed {seed}, {target}, {mutated.Length} bytes): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            long used = GC.GetAllocatedBytesForCurrentThread() - before;
            if (used >= MaxBytesPerCase) File.WriteAllBytes(Path.Combine(Path.GetTempPath(), $"fuzz-{seed}-{c}-{target}"), mutated);
            Assert.True(used < MaxBytesPerCase, $"case {c} (seed {seed}, {target}) allocated {used >> 20} MiB");
            File.WriteAllBytes(Path.Combine(dir, target), files[target]);
        }
        log.WriteLine($"{ok} read, {rejected} rejected");
        Assert.True(rejected > 0);
    }

    private static Dictionary<string, byte[]> Text(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => System.Text.Encoding.UTF8.GetBytes(f.Text));

    private const string Train = "0 0 1 2\n1 2 3\n2 4 0\n3 1 5\n";
    private const string Test = "0 3\n1 0\n2 5\n3 2\n";

    [Fact]
    public void LightGcn() => Fuzz(1, Text(("train.txt", Train), ("test.txt", Test)), d =>
        LightGcnImporter.Import(new LightGcnImportOptions { TrainFile = Path.Combine(d, "train.txt"), TestFile = Path.Combine(d, "test.txt") }));

    [Fact]
    public void Kgat() => Fuzz(2, Text(("train.txt", Train), ("test.txt", Test), ("kg_final.txt", "0 0 6\n1 0 6\n2 1 7\n3 1 7\n4 2 8\n5 0 6\n")), d =>
        KgatImporter.Import(new KgatImportOptions
        {
            TrainFile = Path.Combine(d, "train.txt"), TestFile = Path.Combine(d, "test.txt"), KgFile = Path.Combine(d, "kg_final.txt"),
        }));

    [Fact]
    public void Kgcn() => Fuzz(3, Text(
            (KgcnImporter.RatingsFile, "userID\tartistID\tweight\n2\t51\t13883\n2\t52\t11690\n3\t51\t228\n3\t53\t99\n4\t52\t7\n4\t54\t1\n"),
            (KgcnImporter.LinksFile, "51\t0\r\n52\t1\r\n53\t2\r\n54\t3\r\n"),
            (KgcnImporter.KgFile, "0\tmusic.artist.origin\t4\r\n1\tmusic.artist.genre\t5\r\n2\tmusic.artist.genre\t5\r\n3\tmusic.artist.origin\t4\r\n")),
        d => KgcnImporter.Import(new KgcnImportOptions { InputFolder = d, TestRatio = 0.5 }));

    [Fact]
    public void Sequences() => Fuzz(4, Text(
            ("seq.txt", "1 1 2 3 4\n2 2 3 5 1\n3 4 5 6 2\n"),
            ("attr.tsv", "item_id\tasin\tattributes\n1\tB001\tA|Makeup\n2\tB002\t|Nails\n5\tB005\tA\n")),
        d => SequenceImporter.Import(new SequenceImportOptions { InputFile = Path.Combine(d, "seq.txt"), AttributesFile = Path.Combine(d, "attr.tsv") }));

    [Fact]
    public void Csv() => Fuzz(5, Text(("r.csv", "user,item,rating,time\nalice,book,5,1700000000\nbob,\"pen, blue\",3.5,2024-01-02\ncarol,book,1,1700000100\nalice,pen,4,1700000200\n")),
        d => CsvImporter.Import(new CsvImportOptions
        {
            InputFile = Path.Combine(d, "r.csv"), UserColumn = "user", ItemColumn = "item", RatingColumn = "rating", TimeColumn = "time", MinRating = 2,
        }));

    private static byte[] Bytes(Action<string> write)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "f" + Guid.NewGuid().ToString("N") + ".tmp");
        write(path);
        return File.ReadAllBytes(path);
    }

    private static readonly float[] Vectors = [0.5f, -1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Fact]
    public void Npy() => Fuzz(6, new Dictionary<string, byte[]> { ["e.npy"] = Bytes(p => NpyFile.WriteFloat32(p, Vectors, 4, 3)) }, d =>
    {
        EmbeddingFile.Read(Path.Combine(d, "e.npy"), out _, out _);
        try { NpyFile.ReadInt32(Path.Combine(d, "e.npy"), out _, out _); }
        catch (DataFormatException) { }   // a float file: the int reader must refuse it cleanly
    });

    [Fact]
    public void ArrowEmbeddings()
    {
        var tmp = Path.Combine(TestPaths.NewTempDir(), "e.arrow");
        EmbeddingFile.Write(tmp, Vectors, 4, 3);
        Fuzz(7, new Dictionary<string, byte[]> { ["e.arrow"] = File.ReadAllBytes(tmp) }, d => EmbeddingFile.Read(Path.Combine(d, "e.arrow"), out _, out _));
    }

    [Fact]
    public void DatasetFolderFiles()
    {
        var src = Path.Combine(TestPaths.NewTempDir(), "ds");
        var d = new Dataset
        {
            Name = "fuzz", NumUsers = 3, NumItems = 4,
            Train = new Interactions([0, 0, 1, 2], [0, 1, 2, 3], [10, 20, 30, 40], [1, 2, 3, 4]),
            Test = new Interactions([1, 2], [0, 1], [50, 60], [1, 1]),
            UserRawIds = ["a", "b", "c"],
            Knowledge = new KnowledgeTriples([0, 1, 2], [0, 1, 0], [4, 5, 4], 6, ["r0", "r1"]),
            Attributes = new ItemAttributes([0, 1, 3], [0, 1, 0], ["x", "y"]),
            ItemFeatures = new ItemFeatures(4, 2, [1, 2, 3, 4, 5, 6, 7, 8]),
        };
        DatasetFolder.Write(d, src);
        var files = Directory.GetFiles(src).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        // Half the cases damage dataset.json, the rest one of the Arrow files.
        var targets = files.Keys.SelectMany(k => k == DatasetFolder.ManifestFile ? Enumerable.Repeat(k, files.Count - 1) : [k]).ToList();
        Fuzz(8, files, dir => Sane(DatasetFolder.Read(dir)), targets);
    }
}
