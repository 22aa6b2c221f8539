using Recsys.Data;
using Recsys.Graphs;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Embeddings;

public class EdgeListGraphTests
{
    private static string Write(string text)
    {
        var path = Path.Combine(TestPaths.NewTempDir(), "edges.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static float At(CsrMatrix a, int r, int c)
    {
        for (int k = a.RowPtr[r]; k < a.RowPtr[r + 1]; k++) if (a.ColIdx[k] == c) return a.Values[k];
        return 0;
    }

    [Fact]
    public void IntegerIdsSortNumericallyAndEdgesAreSymmetric()
    {
        var g = EdgeListGraph.Read(Write("10,2\n2,3\n3,10\n10,2\n7,7\n"));
        Assert.Equal([2L, 3, 7, 10], g.IntIds!);
        Assert.Null(g.StringIds);
        var a = g.Adjacency;
        Assert.Equal(2f, At(a, 3, 0));  // 10–2 listed twice: weights add up
        Assert.Equal(2f, At(a, 0, 3));
        Assert.Equal(1f, At(a, 1, 3));
        Assert.Equal(1f, At(a, 2, 2));  // self-loop counted once
        Assert.Equal(7, a.NonZeros);
    }

    [Fact]
    public void HeaderIsDetectedAndStringIdsWork()
    {
        var g = EdgeListGraph.Read(Write("source,target\n1,2\n2,3\n"));
        Assert.Equal([1L, 2, 3], g.IntIds!);
        var s = EdgeListGraph.Read(Write("u\tv\nbob\talice\ncarol\tbob\n"));
        Assert.Equal(["alice", "bob", "carol"], s.StringIds!);
        Assert.Equal(4, s.Adjacency.NonZeros);
        var w = EdgeListGraph.Read(Write("# comment\n1 2 0.5\n\n2 3 2\n"));
        Assert.Equal(0.5f, At(w.Adjacency, 0, 1));
        Assert.Equal(2f, At(w.Adjacency, 2, 1));
    }

    [Fact]
    public void BadLinesNameTheLine()
    {
        var e = Assert.Throws<DataFormatException>(() => EdgeListGraph.Read(Write("1,2\n3\n")));
        Assert.Equal(2, e.Line);
        var w = Assert.Throws<DataFormatException>(() => EdgeListGraph.Read(Write("1,2,x\n")));
        Assert.Equal("weight", w.Field);
    }
}
