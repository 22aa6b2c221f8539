namespace Recsys.Serving.Http;

/// <summary>Answer of <c>POST /v1/recommend/batch</c>, in request order.</summary>
public sealed record RecommendBatchAnswer(IReadOnlyList<RecommendAnswer> Answers);
