using Microsoft.AspNetCore.Http.Timeouts;
using Prometheus;

namespace Recsys.Serving.Http;

/// <summary>
/// Builds the ASP.NET Core host over a <see cref="RecommendationService"/>: the <c>/v1</c> API, health, Prometheus
/// <c>/metrics</c>, the OpenAPI document at <c>/openapi/v1.json</c>, and <c>/admin/reload</c> when an admin token is set.
/// The caller chooses the server and addresses through <c>configure</c> (Kestrel URLs, or the test server) and owns
/// the service. Shutdown is the host's: on SIGTERM or Ctrl+C it stops accepting and drains requests in flight.
/// </summary>
public static class ServingHost
{
    /// <param name="service">The service to expose (not disposed by the host).</param>
    /// <param name="reloader">Loads (run folder, dataset folder) for <c>/admin/reload</c>; null leaves reload off.</param>
    /// <param name="configure">Last changes to the builder (URLs, logging, a test server).</param>
    public static WebApplication Build(RecommendationService service, Func<string, string, ServingSnapshot>? reloader = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var options = service.Options;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new ServingMetrics(service));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = options.RequestTimeout, TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable });
        // Binding failures throw (instead of a bare 400) so ProblemMiddleware can answer with the JSON reader's reason.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        configure?.Invoke(builder);

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<ServingMetrics>();
        app.UseRouting();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages(); // bodiless 404/405s get problem details too
        app.UseRequestTimeouts();
        app.UseMiddleware<BodyLimitMiddleware>();

        app.MapServingApi();
        app.MapHealth();
        app.MapAdmin(options, reloader);
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapOpenApi();
        return app;
    }
}
