using Recsys.Data;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

/// <summary>Writes small input files for importer tests and compares datasets.</summary>
internal static class DataFiles
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in <paramref name="dir"/> and returns the path.</summary>
    public static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
        return p;
    }

    /// <summary>Writes the dataset, reads it back and asserts every part is equal.</summary>
    public static Dataset RoundTrip(Dataset d)
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "ds");
        DatasetFolder.Write(d, dir);
        var back = DatasetFolder.Read(dir);
        AssertSame(d, back);
        return back;
    }

    public static void AssertSame(Dataset a, Dataset b)
    {
        Assert.Equal(a.Name, b.Name);
        Assert.Equal(a.NumUsers, b.NumUsers);
        Assert.Equal(a.NumItems, b.NumItems);
        AssertSame(a.Train, b.Train);
        Assert.Equal(a.Valid is null, b.Valid is null);
        if (a.Valid is not null) AssertSame(a.Valid, b.Valid!);
        AssertSame(a.Test, b.Test);
        Assert.Equal(a.UserRawIds, b.UserRawIds);
        Assert.Equal(a.ItemRawIds, b.ItemRawIds);
        Assert.Equal(a.Knowledge is null, b.Knowledge is null);
        if (a.Knowledge is { } k)
        {
            Assert.Equal(k.Heads, b.Knowledge!.Heads);
            Assert.Equal(k.Relations, b.Knowledge.Relations);
            Assert.Equal(k.Tails, b.Knowledge.Tails);
            Assert.Equal(k.NumEntities, b.Knowledge.NumEntities);
            Assert.Equal(k.RelationNames, b.Knowledge.RelationNames);
        }
        Assert.Equal(a.Attributes is null, b.Attributes is null);
        if (a.Attributes is { } at)
        {
            Assert.Equal(at.Items, b.Attributes!.Items);
            Assert.Equal(at.Attributes, b.Attributes.Attributes);
            Assert.Equal(at.Names, b.Attributes.Names);
        }
        Assert.Equal(a.ItemFeatures is null, b.ItemFeatures is null);
        if (a.ItemFeatures is { } f)
        {
            Assert.Equal((f.NumItems, f.Dim), (b.ItemFeatures!.NumItems, b.ItemFeatures.Dim));
            Assert.Equal(f.Values, b.ItemFeatures.Values);
        }
        Assert.Equal(a.Provenance.OrderBy(p => p.Key), b.Provenance.OrderBy(p => p.Key));
    }

    public static void AssertSame(Interactions a, Interactions b)
    {
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Timestamps, b.Timestamps);
        Assert.Equal(a.Weights, b.Weights);
    }

    /// <summary>(user, item) pairs as a sorted list, for order-free comparisons.</summary>
    public static List<(int, int)> Pairs(Interactions x) =>
        Enumerable.Range(0, x.Count).Select(r => (x.Users[r], x.Items[r])).Order().ToList();
}
