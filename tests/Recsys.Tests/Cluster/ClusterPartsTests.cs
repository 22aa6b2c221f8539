using Recsys.Data;
using Recsys.IO;
using Recsys.Serving.Cluster;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Cluster;

/// <summary>The cluster's small pieces without a cluster: addresses, keys, shard ranges, row reads, checksums, catalogs.</summary>
public sealed class ClusterPartsTests
{
    [Fact]
    public void Addresses_parse_and_bad_ones_name_the_expected_form()
    {
        Assert.True(ClusterAddress.Parse("localhost").IsLocalhost);
        Assert.Equal([30000, 30001, 30002], ClusterAddress.Parse("localhost").LocalGateways);
        Assert.Equal([31000, 31005], ClusterAddress.Parse("localhost:31000,31005").LocalGateways);
        Assert.Equal("127.0.0.1:6379", ClusterAddress.Parse("redis://127.0.0.1:6379").Redis);
        Assert.Equal("redis://10.0.0.5:7000", ClusterAddress.Parse("redis://10.0.0.5:7000/").ToString());
        Assert.Equal("localhost", ClusterAddress.Parse("localhost").ToString());
        Assert.Equal("localhost:30001,30005", ClusterAddress.Parse("localhost:30001, 30005").ToString());
        foreach (var bad in new[] { "redis://host", "redis://host:0", "http://x:1", "localhost:abc", "localhost:" })
            Assert.Contains("expected", Assert.Throws<FormatException>(() => ClusterAddress.Parse(bad)).Message);
    }

    [Fact]
    public void Shard_ranges_tile_the_items_and_keys_round_trip()
    {
        var spec = new ShardSetSpec { Version = "v@1", ItemsFile = "/x.npy", Count = 10, Dim = 4, Shards = 3, Replicas = 2 };
        Assert.Equal([(0, 3), (3, 3), (6, 4)], Enumerable.Range(0, 3).Select(spec.Range).ToArray());
        Assert.True(ShardKey.TryParse(spec.GrainKey(2, 1), out var key));
        Assert.Equal((spec.Id, 2, 1), (key.VersionId, key.Shard, key.Replica));
        Assert.StartsWith("v@1#", spec.Id);
        // Anything that changes a shard's contents changes the version's identity.
        Assert.NotEqual(spec.Id, (spec with { Shards = 2 }).Id);
        Assert.NotEqual(spec.Id, (spec with { ItemsFile = "/y.npy" }).Id);
        Assert.Equal(spec.Id, (spec with { }).Id);
        Assert.False(ShardKey.TryParse("no-slashes", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => (spec with { Shards = 11 }).Validate());
        Assert.Throws<ArgumentException>(() => (spec with { Version = "a/b" }).Validate());
    }

    [Theory]
    [InlineData("npy")]
    [InlineData("arrow")]
    public void Row_ranges_read_exactly_the_rows_asked_for(string ext)
    {
        const int n = 37, d = 5;
        var x = ItemFiles.Random(n, d, 3, coarse: false);
        var path = ItemFiles.Write(x, d, ext);
        Assert.Equal((n, d), ItemRows.Shape(path));
        var rows = ItemRows.Read(path, 11, 9, out int dim);
        Assert.Equal(d, dim);
        Assert.Equal(x.AsSpan(11 * d, 9 * d).ToArray(), rows);
        Assert.Throws<DataFormatException>(() => ItemRows.Read(path, 30, 8, out _));
        Assert.Throws<FileNotFoundException>(() => ItemRows.Read(path + ".absent", 0, 1, out _));
    }

    [Fact]
    public void Generated_catalogs_are_numpy_files_and_checksums_see_one_bit()
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "cat.npy");
        ClusterBench.WriteCatalog(path, 70_001, 3, seed: 5);
        var all = NpyFile.ReadFloat32(path, out int rows, out int cols);
        Assert.Equal((70_001, 3), (rows, cols));
        Assert.All(all, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(all.AsSpan(69_990 * 3).ToArray(), ItemRows.Read(path, 69_990, 11, out _));

        var a = new[] { 1f, 2f, -0f };
        var b = new[] { 1f, 2f, 0f }; // equal values, different bits: a shard must hold the very same floats
        Assert.NotEqual(RowChecksum.Of(a), RowChecksum.Of(b));
        Assert.Equal(RowChecksum.Of(a), RowChecksum.Of([1f, 2f, -0f]));
    }
}
