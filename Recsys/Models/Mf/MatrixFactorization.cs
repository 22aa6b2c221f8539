using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>MF-BPR: the final embeddings are the table rows; score(u, i) = uᵀi.</summary>
public sealed class MatrixFactorization : RecommenderModel
{
    public MatrixFactorization(MfOptions options, ModelInputs inputs, ulong seed) : base("MF", options, inputs, seed)
    {
        RegisterComponents();
    }

    public override string Kind => "mf";

    public override Tensor BprLoss(BprBatch batch, double reg)
    {
        var u = user_table.Lookup(batch.UserIds);
        var p = item_table.Lookup(batch.PositiveIds);
        var n = item_table.Lookup(batch.NegativeIds);
        return Models.BprLoss.Compute(u, p, n, u, p, n, reg);
    }

    protected override (Tensor Users, Tensor Items) Final() => (user_table.All(), item_table.All());
}
