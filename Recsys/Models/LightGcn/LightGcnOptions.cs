using Recsys.Models.Propagation;

namespace Recsys.Models;

/// <summary>LightGCN (He et al., SIGIR 2020) — paper defaults: 3 layers, dim 64.</summary>
public sealed record LightGcnOptions : ModelOptions
{
    public int Layers { get; init; } = 3;
    public PropagationBackend Propagation { get; init; } = PropagationBackend.Auto;
    public override string Kind => "lightgcn";

    public override void Validate()
    {
        base.Validate();
        if (Layers < 0) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "must be at least 0.");
    }

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed) { Validate(); return new LightGcn(this, inputs, seed); }
}
