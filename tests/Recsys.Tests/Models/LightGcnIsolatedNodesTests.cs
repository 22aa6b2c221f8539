using Recsys.Data;
using Recsys.Models;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Models;

/// <summary>
/// LightGCN with <c>--isolated-nodes keep</c>: a node without training edges keeps its layer-0 row instead of the
/// layer mean's row / (L+1), and with <c>--isolated-scale S</c> S times that row; every node with edges is exactly as in
/// the paper's mean.
/// </summary>
public class LightGcnIsolatedNodesTests
{
    private static readonly InteractionMatrix Train = TinyColdItem.Train;

    private static ModelEmbeddings Final(int layers, bool keep, double? scale = null)
    {
        var options = new LightGcnOptions { Dim = 4, Layers = layers, KeepIsolated = keep, IsolatedScale = scale };
        using var model = options.Create(new ModelInputs("tiny", Train), seed: 7);
        return model.Snapshot().Embeddings;
    }

    private static float[] Item(ModelEmbeddings e, int item) => e.Items.AsSpan(item * e.Dim, e.Dim).ToArray();

    [Fact]
    public void An_item_without_edges_keeps_its_layer0_row_and_the_rest_is_the_layer_mean()
    {
        var layer0 = Final(layers: 0, keep: false); // same seed: the same layer-0 rows
        var mean = Final(layers: 2, keep: false);
        var keep = Final(layers: 2, keep: true);

        Assert.Equal(Item(layer0, 4), Item(keep, 4));
        var shrunk = Item(mean, 4);
        var row = Item(layer0, 4);
        for (int d = 0; d < row.Length; d++) Assert.Equal(row[d] / 3f, shrunk[d], 1e-6f);
        Assert.NotEqual(0f, row.Select(Math.Abs).Sum());

        Assert.Equal(mean.Users, keep.Users);
        for (int i = 0; i < 4; i++) Assert.Equal(Item(mean, i), Item(keep, i));
    }

    [Fact]
    public void A_scale_multiplies_the_layer0_row_of_an_item_without_edges_and_nothing_else()
    {
        var layer0 = Final(layers: 0, keep: false);
        var mean = Final(layers: 2, keep: false);
        var row = Item(layer0, 4);
        foreach (var scale in new[] { 0.0, 0.6, 1.0 })
        {
            var scaled = Final(layers: 2, keep: false, scale: scale);
            var got = Item(scaled, 4);
            for (int d = 0; d < row.Length; d++) Assert.Equal(row[d] * (float)scale, got[d], 1e-7f);
            Assert.Equal(mean.Users, scaled.Users);
            for (int i = 0; i < 4; i++) Assert.Equal(Item(mean, i), Item(scaled, i));
        }
        Assert.Equal(Final(layers: 2, keep: true).Items, Final(layers: 2, keep: false, scale: 1).Items); // keep is scale 1

        Assert.Equal("IsolatedScale", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { IsolatedScale = -0.5 }.Validate()).ParamName);
        Assert.Equal("IsolatedScale", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { IsolatedScale = double.NaN }.Validate()).ParamName);
        var both = Assert.Throws<ArgumentOutOfRangeException>(() => new LightGcnOptions { KeepIsolated = true, IsolatedScale = 0.5 }.Validate());
        Assert.Contains("not both", both.Message);
    }

    [Fact]
    public void The_cli_flag_selects_the_mode_and_names_itself_on_a_bad_value()
    {
        var dir = TestPaths.NewTempDir();
        var data = TinyColdItem.Folder(dir);
        var run = Path.Combine(dir, "run");
        var (code, _, err) = CliHarness.Run("train", "--data", data, "--model", "lightgcn", "--dim", "4", "--isolated-nodes", "keep", "--epochs", "1",
            "--eval-every", "0", "--batch", "4", "--device", "cpu", "--out", run);
        Assert.True(code == 0, err);
        Assert.True(Assert.IsType<LightGcnOptions>(new RunFolder(run).ReadRecord(Tc.Catalog).Model).KeepIsolated);

        var scaledRun = Path.Combine(dir, "scaled");
        (code, _, err) = CliHarness.Run("train", "--data", data, "--model", "lightgcn", "--dim", "4", "--isolated-scale", "0.5", "--epochs", "1",
            "--eval-every", "0", "--batch", "4", "--device", "cpu", "--out", scaledRun);
        Assert.True(code == 0, err);
        Assert.Equal(0.5, Assert.IsType<LightGcnOptions>(new RunFolder(scaledRun).ReadRecord(Tc.Catalog).Model).IsolatedScale);

        TinyColdItem.AssertTrainRefused(data, "--isolated-scale", "--isolated-scale", "-1");
        TinyColdItem.AssertTrainRefused(data, "--isolated-nodes", "--isolated-nodes", "scale");
    }
}
