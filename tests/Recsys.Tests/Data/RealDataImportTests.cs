using System.Diagnostics;
using Recsys.Data;
using Recsys.Data.Import;
using Recsys.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recsys.Tests.Data;

/// <summary>Imports the shared real datasets and checks the published counts (skipped when the data is absent).</summary>
[Trait("Category", "Slow")]
public class RealDataImportTests(ITestOutputHelper log)
{
    [RequiresDatasetFact("gowalla/train.txt")]
    public void GowallaMatchesLightGcnPaper()
    {
        var sw = Stopwatch.StartNew();
        var d = LightGcnImporter.Import(new LightGcnImportOptions
        {
            TrainFile = TestPaths.Dataset("gowalla/train.txt"), TestFile = TestPaths.Dataset("gowalla/test.txt"),
        });
        log.WriteLine($"gowalla import (parse + checks): {sw.ElapsedMilliseconds} ms");
        Assert.Equal("gowalla", d.Name);
        Assert.Equal(29_858, d.NumUsers);
        Assert.Equal(40_981, d.NumItems);
        Assert.Equal(810_128, d.Train.Count);
        Assert.Equal(217_242, d.Test.Count);
        // Release builds take well under 1 s; this bound only catches a pathological (e.g. quadratic) slowdown in
        // unoptimised Debug test builds on shared cores.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"import took {sw.Elapsed}");
        var dir = Path.Combine(TestPaths.NewTempDir(), "gowalla");
        sw.Restart();
        DatasetFolder.Write(d, dir);
        log.WriteLine($"gowalla write: {sw.ElapsedMilliseconds} ms");
        Assert.Equal(810_128, DatasetFolder.Read(dir).Train.Count);
    }

    [RequiresDatasetFact("lastfm-hetrec-kgcn/kg.txt")]
    public void KgcnMusicMatchesKgcnPaper()
    {
        var d = KgcnImporter.Import(new KgcnImportOptions { InputFolder = TestPaths.Dataset("lastfm-hetrec-kgcn") });
        Assert.Equal(1_872, d.NumUsers);
        Assert.Equal(3_846, d.NumItems);
        Assert.Equal(21_173, d.Train.Count + d.Test.Count);
        Assert.Equal(4_245, d.Test.Count);   // round-half-up 20 % per user, same count as the kgat/ folder
        var kg = d.Knowledge!;
        Assert.Equal(15_518, kg.Count);
        Assert.Equal(9_366, kg.NumEntities);
        Assert.Equal(60, kg.NumRelations);
        Assert.Equal("music.artist.origin", kg.RelationNames[0]);
    }

    [RequiresDatasetFact("lastfm-hetrec-kgcn/kgat/kg_final.txt")]
    public void KgatLayoutOfLastFm()
    {
        string P(string f) => TestPaths.Dataset("lastfm-hetrec-kgcn/kgat/" + f);
        var d = KgatImporter.Import(new KgatImportOptions { TrainFile = P("train.txt"), TestFile = P("test.txt"), KgFile = P("kg_final.txt") });
        Assert.Equal(1_872, d.NumUsers);
        Assert.Equal(3_846, d.NumItems);
        Assert.Equal(16_928, d.Train.Count);
        Assert.Equal(4_245, d.Test.Count);
        Assert.Equal(15_518, d.Knowledge!.Count);
        Assert.Equal(9_366, d.Knowledge.NumEntities);
        Assert.Equal(60, d.Knowledge.NumRelations);
    }

    [RequiresDatasetFact("amazon-beauty/Beauty.txt")]
    public void BeautyMatchesS3RecCounts()
    {
        var d = SequenceImporter.Import(new SequenceImportOptions
        {
            InputFile = TestPaths.Dataset("amazon-beauty/Beauty.txt"),
            AttributesFile = TestPaths.HasDataset("amazon-beauty/item_attributes.tsv") ? TestPaths.Dataset("amazon-beauty/item_attributes.tsv") : null,
        });
        Assert.Equal(22_363, d.NumUsers);
        Assert.Equal(12_101, d.NumItems);
        Assert.Equal(198_502, d.Train.Count + d.Valid!.Count + d.Test.Count);
        Assert.Equal(22_363, d.Test.Count);
        Assert.Equal(22_363, d.Valid.Count);
        if (d.Attributes is { } a)
        {
            Assert.Equal(637, a.Names.Length);
            Assert.Equal(45_037, a.Count);
        }
    }
}
