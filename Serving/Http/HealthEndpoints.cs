using Microsoft.AspNetCore.Http.HttpResults;

namespace Recsys.Serving.Http;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (a model is loaded and the host is not shutting down).</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("health");
        app.MapGet("/readyz", Ready).WithTags("health");
    }

    private static Results<Ok<HealthStatus>, ProblemHttpResult> Ready(RecommendationService service, IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopping.IsCancellationRequested
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Shutting down", detail: "the host is draining requests.")
            : TypedResults.Ok(new HealthStatus("ready", service.Model.Version));
}
