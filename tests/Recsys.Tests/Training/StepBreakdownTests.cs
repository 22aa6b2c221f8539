using Recsys.Eval.Bench;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Training;
using static TorchSharp.torch;

namespace Recsys.Tests.Training;

public class StepBreakdownTests
{
    [Fact]
    public void LightGcnBreakdownReportsPropagationPhasesInsideTheStep()
    {
        var (train, _) = TinyData.Communities();
        var model = (LightGcnOptions)Tc.Model("lightgcn") with { Dim = 8, Layers = 3 };
        var o = new TrainerOptions { BatchSize = 16, Device = DeviceChoice.Cpu };
        var rows = StepBreakdown.Run(Tc.Inputs(train), model, o, batches: 4, warmup: 1).ToDictionary(r => r.Phase.Trim());

        // 3 layers: 2 full products forward and backward, one batch-rows product each way, once per step.
        Assert.Equal(2, rows["fwd full layer"].CallsPerStep);
        Assert.Equal(2, rows["bwd full layer"].CallsPerStep);
        Assert.Equal(1, rows["fwd batch rows"].CallsPerStep);
        Assert.Equal(1, rows["bwd batch rows"].CallsPerStep);
        Assert.True(rows["step (total)"].WallMs >= rows["propagation forward"].WallMs);
        Assert.True(rows["backward"].WallMs >= rows["propagation backward"].WallMs);
    }

    [Fact]
    public void TrainingRestoresLibtorchThreadCount()
    {
        var (train, _) = TinyData.Communities();
        int before = get_num_threads();
        int wanted = before == 1 ? 2 : 1;
        StepBreakdown.Run(Tc.Inputs(train), Tc.Model("mf") with { Dim = 4 }, new TrainerOptions { BatchSize = 16, Device = DeviceChoice.Cpu, TorchThreads = wanted }, batches: 1, warmup: 0);
        Assert.Equal(before, get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { TorchThreads = -1 }.Validate());
    }
}
