using Recsys.Data;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Tables.SemanticId;
using Recsys.Tests.Infrastructure;
using Recsys.Tests.Tables.SemanticId;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Models;

/// <summary>
/// LightGCN's <c>--cold-dropout P</c>: a training positive or negative is, with probability P, scored as an item without
/// training edges is scored at inference — its content rows (semantic-ID rows, a hybrid's ID row left out) times the
/// isolated scale — and the draws are part of the resumable random state.
/// </summary>
public class LightGcnColdDropoutTests
{
    private static readonly InteractionMatrix Train = TinyColdItem.Train;

    private static readonly Lazy<string> Codes = new(() => SidCodes.Grid(5));

    private static LightGcnOptions Options(double coldDropout, double? scale = null, EmbeddingTableSpec? table = null) => new()
    {
        Dim = 4, Layers = 2, ColdDropout = coldDropout, IsolatedScale = scale,
        ItemTable = table ?? new UnigramTableSpec(Codes.Value, SemanticIdTableSpec.Sha256Of(Codes.Value)),
    };

    private static EmbeddingTable ItemTable(IRecommenderModel model) =>
        (EmbeddingTable)model.Module.named_modules().Single(m => m.name == "item_table").module;

    private static BprBatch Batch() => new([0, 1, 2, 3, 0], [1, 2, 3, 0, 0], [3, 0, 4, 1, 2], CPU);

    [Theory]
    [InlineData(null, 1.0 / 3)] // the paper's layer mean: a new item is its layer-0 row / (L+1)
    [InlineData(0.5, 0.5)]
    [InlineData(1.0, 1.0)]
    public void Dropped_items_are_scored_by_their_content_rows_times_the_isolated_scale(double? isolatedScale, double expectedScale)
    {
        using var model = (LightGcn)Options(coldDropout: 0.999999, isolatedScale).Create(new ModelInputs("tiny", Train), seed: 7);
        var users = model.Snapshot().Embeddings; // full propagation: the final user rows training also computes
        var batch = Batch();
        double loss;
        using (var l = model.BprLoss(batch, reg: 0)) loss = l.item<float>();

        // By hand: every item of the batch (at P → 1) is S × its table row; users are their propagated rows.
        float[] item;
        using (no_grad())
        using (var all = ItemTable(model).All()) item = all.data<float>().ToArray();
        double expected = 0;
        for (int b = 0; b < batch.Size; b++)
        {
            double pos = 0, neg = 0;
            for (int d = 0; d < 4; d++)
            {
                double u = users.Users[batch.Users[b] * 4 + d];
                pos += u * expectedScale * item[batch.Positives[b] * 4 + d];
                neg += u * expectedScale * item[batch.Negatives[b] * 4 + d];
            }
            expected += Math.Log(1 + Math.Exp(neg - pos));
        }
        Assert.Equal(expected / batch.Size, loss, 1e-5);

        using var plain = (LightGcn)Options(coldDropout: 0, isolatedScale).Create(new ModelInputs("tiny", Train), seed: 7);
        using var plainLoss = plain.BprLoss(Batch(), reg: 0);
        Assert.NotEqual(loss, plainLoss.item<float>(), 1e-4); // the propagated rows score differently
    }

    [Fact]
    public void The_draws_are_seeded_and_resume_from_the_saved_state()
    {
        var inputs = new ModelInputs("tiny", Train);
        using var a = (LightGcn)Options(coldDropout: 0.5).Create(inputs, seed: 7);
        using var b = (LightGcn)Options(coldDropout: 0.5).Create(inputs, seed: 7);
        var first = Losses(a, 1)[0];
        Assert.Equal(first, Losses(b, 1)[0]);
        var state = a.SaveRandomState()!;
        var next = Losses(a, 6);
        Assert.True(next.Distinct().Count() > 1, "P = 0.5 draws other masks batch after batch");
        using var c = (LightGcn)Options(coldDropout: 0.5).Create(inputs, seed: 7);
        c.RestoreRandomState(state);
        Assert.Equal(next, Losses(c, 6));

        using var off = (LightGcn)Options(coldDropout: 0).Create(inputs, seed: 7);
        Assert.Null(off.SaveRandomState()); // checkpoints without the option are as before
    }

    private static float[] Losses(LightGcn model, int n) => Enumerable.Range(0, n).Select(_ =>
    {
        using var l = model.BprLoss(Batch(), reg: 0);
        return l.item<float>();
    }).ToArray();

    [Fact]
    public void A_hybrid_tables_content_rows_leave_the_id_rows_out()
    {
        // Ids 0..2 with pieces {0,1} {1,2} {0,2} over 3 code rows; ids 0 and 1 also get ID rows (3 and 4), id 2 none.
        var pieces = PieceMap.Fixed([0, 1, 1, 2, 0, 2], 2, rows: 3).Append([0, 1, PieceMap.None], 2);
        using var table = new CodeSumTable(pieces, dim: 3, TableInit.Normal, std: 0.1, seed: 5, contentRows: 3);
        float[] w;
        using (no_grad()) w = table.parameters().Single().data<float>().ToArray();
        using var ids = tensor(new long[] { 0, 1, 2 });
        using var content = table.ContentLookup(ids);
        using var full = table.Lookup(ids);
        var got = content.data<float>().ToArray();
        var rows = full.data<float>().ToArray();
        int[][] codeRows = [[0, 1], [1, 2], [0, 2]];
        int?[] idRow = [3, 4, null];
        for (int i = 0; i < 3; i++)
            for (int d = 0; d < 3; d++)
            {
                float c = w[codeRows[i][0] * 3 + d] + w[codeRows[i][1] * 3 + d];
                Assert.Equal(c, got[i * 3 + d], 1e-6f);
                Assert.Equal(c + (idRow[i] is { } r ? w[r * 3 + d] : 0), rows[i * 3 + d], 1e-6f);
            }

        using var pure = new CodeSumTable(PieceMap.Fixed([0, 1, 1, 2, 0, 2], 2, rows: 3), dim: 3, TableInit.Normal, std: 0.1, seed: 5);
        using var pureContent = pure.ContentLookup(ids);
        using var pureRows = pure.Lookup(ids);
        Assert.Equal(pureRows.data<float>().ToArray(), pureContent.data<float>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CodeSumTable(pieces, 3, TableInit.Normal, 0.1, 5, contentRows: 6));

        // Built by the hybrid spec: content rows are the semantic rows, and a row is content + its ID row.
        var spec = new HybridTableSpec(new UnigramTableSpec(Codes.Value, SemanticIdTableSpec.Sha256Of(Codes.Value)));
        using var hybrid = Assert.IsType<CodeSumTable>(spec.Create(TableContext.For(new ModelInputs("tiny", Train), TableSide.Items, 4, 3)));
        Assert.Equal(hybrid.Rows - 5, hybrid.ContentRows);
    }

    [Fact]
    public void Bad_values_and_tables_without_content_rows_are_refused_naming_the_option()
    {
        Assert.Equal("ColdDropout", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { ColdDropout = 1 }.Validate()).ParamName);
        Assert.Equal("ColdDropout", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { ColdDropout = -0.1 }.Validate()).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { ColdDropout = 0.3 }.Create(new ModelInputs("tiny", Train), 1));
        Assert.Equal("ColdDropout", e.ParamName);
        Assert.Contains("content rows", e.Message);

        var dir = TestPaths.NewTempDir();
        var data = TinyColdItem.Folder(dir);
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", data, "--model", "lightgcn", "--dim", "4", "--item-table", "sid:pieces", "--codes", Codes.Value,
            "--cold-dropout", "0.3", "--isolated-nodes", "keep", "--epochs", "2", "--eval-every", "0", "--batch", "4", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        Assert.Equal(0.3, Assert.IsType<LightGcnOptions>(new RunFolder(run).ReadRecord(Tc.Catalog).Model).ColdDropout);

        TinyColdItem.AssertTrainRefused(data, "--cold-dropout", "--cold-dropout", "0.3"); // a full item table has no content rows
        TinyColdItem.AssertTrainRefused(data, "--cold-dropout", "--cold-dropout", "1");
    }
}
