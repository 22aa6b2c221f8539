using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Training.Objectives;

/// <summary>What a model's default parameter group steps: every parameter but those its tables train on their own.</summary>
public static class ModelWeights
{
    /// <summary>The parameters of <paramref name="model"/> outside every <paramref name="tables"/>' <see cref="ITableObjective.OwnParameters"/>.</summary>
    public static Parameter[] Besides(nn.Module model, IEnumerable<ITableObjective> tables)
    {
        var own = tables.SelectMany(t => t.OwnParameters).Select(p => p.Handle).ToHashSet();
        return model.parameters().Where(p => !own.Contains(p.Handle)).ToArray();
    }
}
