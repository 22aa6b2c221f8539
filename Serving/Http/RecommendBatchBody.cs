namespace Recsys.Serving.Http;

/// <summary>Body of <c>POST /v1/recommend/batch</c>: several requests answered from one model version.</summary>
public sealed record RecommendBatchBody(IReadOnlyList<RecommendQuery> Requests);

/// <summary>Answer of <c>POST /v1/recommend/batch</c>, in request order.</summary>
public sealed record RecommendBatchAnswer(IReadOnlyList<RecommendAnswer> Answers);
