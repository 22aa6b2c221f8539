namespace Recsys.Serving.Http;

/// <summary>Body of <c>POST /v1/similar</c>: a raw item id and how many neighbours to return.</summary>
public sealed record SimilarBody(string Item, int K = 20);
