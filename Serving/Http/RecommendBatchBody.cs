namespace Recsys.Serving.Http;

/// <summary>Body of <c>POST /v1/recommend/batch</c>: several requests answered from one model version.</summary>
public sealed record RecommendBatchBody(IReadOnlyList<RecommendQuery> Requests);
