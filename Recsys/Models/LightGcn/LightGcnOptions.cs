using Recsys.Models.Propagation;

namespace Recsys.Models;

/// <summary>LightGCN (He et al., SIGIR 2020) — paper defaults: 3 layers, dim 64.</summary>
public sealed record LightGcnOptions : ModelOptions
{
    public int Layers { get; init; } = 3;

    /// <summary>
    /// A node without training edges propagates nothing, so the layer mean shrinks it to its layer-0 row / (L+1) and it
    /// never reaches a top K beside trained nodes. True keeps such a node's layer-0 row (for item tables that place new
    /// items, e.g. semantic IDs); false is the paper's mean. Nodes with edges are unaffected, so training is too.
    /// </summary>
    public bool KeepIsolated { get; init; }

    /// <summary>
    /// A node without training edges gets this multiple of its layer-0 row (null: by <see cref="KeepIsolated"/>). 1 is
    /// keep, 1/(L+1) the paper's mean; a value between weighs new items against trained ones, to be chosen on validation.
    /// </summary>
    public double? IsolatedScale { get; init; }

    /// <summary>
    /// DropoutNet-style training for new items: each positive and negative of a BPR batch is, with this probability,
    /// scored as an item without training edges is scored — its content rows (<see cref="Recsys.Tables.IContentRows"/>:
    /// the semantic-ID rows, without a hybrid table's ID row) times the isolated scale (<see cref="IsolatedScale"/>, 1 for
    /// keep, 1/(L+1) for the paper's mean) — so those rows learn to place items against trained ones. 0 = off.
    /// </summary>
    public double ColdDropout { get; init; }
    public PropagationBackend Propagation { get; init; } = PropagationBackend.Auto;
    public override string Kind => "lightgcn";

    public override void Validate()
    {
        base.Validate();
        if (Layers < 0) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, "must be at least 0.");
        if (IsolatedScale is { } s && (!double.IsFinite(s) || s < 0))
            throw new ArgumentOutOfRangeException(nameof(IsolatedScale), s, "must be a finite number ≥ 0.");
        if (IsolatedScale is not null && KeepIsolated)
            throw new ArgumentOutOfRangeException(nameof(IsolatedScale), IsolatedScale, "give --isolated-nodes keep or --isolated-scale, not both (keep is scale 1).");
        if (!(ColdDropout >= 0 && ColdDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(ColdDropout), ColdDropout, "must be in [0, 1).");
    }

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed) { Validate(); return new LightGcn(this, inputs, seed); }
}
