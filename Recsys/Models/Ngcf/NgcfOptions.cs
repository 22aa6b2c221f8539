using Recsys.Models.Propagation;
using Recsys.Tables;

namespace Recsys.Models;

/// <summary>NGCF (Wang et al., SIGIR 2019) — paper defaults: layers [64, 64, 64], node and message dropout 0.1, Xavier init.</summary>
public sealed record NgcfOptions : ModelOptions
{
    public NgcfOptions()
    {
        UserTable = new FullTableSpec(TableInit.XavierUniform);
        ItemTable = new FullTableSpec(TableInit.XavierUniform);
    }

    /// <summary>Output width of each propagation layer (its count is the number of layers).</summary>
    public int[] LayerDims { get; init; } = [64, 64, 64];
    /// <summary>Probability of dropping each entry of Â per step (the official code's "node dropout").</summary>
    public double NodeDropout { get; init; } = 0.1;
    /// <summary>Dropout on each layer's output embeddings.</summary>
    public double MessageDropout { get; init; } = 0.1;
    public double LeakySlope { get; init; } = 0.2;
    /// <summary>The paper's layer (default) or the authors' code's (<see cref="NgcfVariant"/>).</summary>
    public NgcfVariant Variant { get; init; } = NgcfVariant.Paper;
    public PropagationBackend Propagation { get; init; } = PropagationBackend.Auto;
    public override string Kind => "ngcf";

    public override void Validate()
    {
        base.Validate();
        ArgumentNullException.ThrowIfNull(LayerDims, nameof(LayerDims));
        if (LayerDims.Any(d => d < 1)) throw new ArgumentOutOfRangeException(nameof(LayerDims), "every layer needs width ≥ 1.");
        if (NodeDropout is < 0 or >= 1 || double.IsNaN(NodeDropout)) throw new ArgumentOutOfRangeException(nameof(NodeDropout), NodeDropout, "must be in [0, 1).");
        if (MessageDropout is < 0 or >= 1 || double.IsNaN(MessageDropout)) throw new ArgumentOutOfRangeException(nameof(MessageDropout), MessageDropout, "must be in [0, 1).");
        if (!double.IsFinite(LeakySlope)) throw new ArgumentOutOfRangeException(nameof(LeakySlope), LeakySlope, "must be finite.");
    }

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed) { Validate(); return new Ngcf(this, inputs, seed); }
}
