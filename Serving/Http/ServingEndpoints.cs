using Microsoft.AspNetCore.Http.HttpResults;

namespace Recsys.Serving.Http;

/// <summary>The public API under <c>/v1</c>: parse → one service call → map. Errors are exceptions the problem middleware maps.</summary>
public static class ServingEndpoints
{
    public static RouteGroupBuilder MapServingApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("recommendations");
        v1.MapPost("/recommend", Recommend).ProducesProblem(StatusCodes.Status400BadRequest)
          .WithSummary("Top-k items for a user or a history (raw ids); cold users get the popularity fallback.");
        v1.MapPost("/recommend/batch", RecommendBatch).ProducesProblem(StatusCodes.Status400BadRequest)
          .WithSummary("Several recommend requests answered from one model version.");
        v1.MapPost("/similar", Similar).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
          .WithSummary("The items most similar to an item.");
        v1.MapGet("/models", Models).WithSummary("The model being served: version, kind, sizes, load time.");
        return v1;
    }

    private static async Task<Ok<RecommendAnswer>> Recommend(RecommendQuery body, RecommendationService service) => TypedResults.Ok(await service.RecommendAsync(body));

    private static Ok<RecommendBatchAnswer> RecommendBatch(RecommendBatchBody body, RecommendationService service) =>
        TypedResults.Ok(new RecommendBatchAnswer(service.RecommendBatch(body.Requests ?? throw new ArgumentException("requests: missing.", "requests"))));

    private static Ok<SimilarAnswer> Similar(SimilarBody body, RecommendationService service) => TypedResults.Ok(service.SimilarItems(body.Item, body.K));

    private static Ok<ModelInfo> Models(RecommendationService service) => TypedResults.Ok(service.Model);
}
