namespace Recsys.Models;

/// <summary>Matrix factorisation trained with BPR (Rendle et al. 2009): score = uᵀi over the table rows.</summary>
public sealed record MfOptions : ModelOptions
{
    public override string Kind => "mf";
    public override IRecommenderModel Create(ModelInputs inputs, ulong seed) { Validate(); return new MatrixFactorization(this, inputs, seed); }
}
