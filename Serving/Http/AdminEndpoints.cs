using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Recsys.Serving.Http;

/// <summary>
/// <c>POST /admin/reload</c>: hot swap to another run folder. Mapped only when an admin token is configured (otherwise
/// 404); requires <c>Authorization: Bearer TOKEN</c> (401 without, 403 with a wrong one) before the body is read; both
/// paths must lie inside a configured reload root (compared as full, normalised paths; 403 outside).
/// </summary>
public static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app, ServingOptions options, Func<string, string, ServingSnapshot>? reloader)
    {
        if (options.AdminToken is null || reloader is null) return;
        app.MapPost("/admin/reload", (HttpContext context, RecommendationService service) => Reload(context, service, options, reloader))
           .Accepts<ReloadBody>("application/json") // also makes routing answer a non-JSON body with 415, before the token check
           .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
           .DisableRequestTimeout() // loading a large model may take longer than a request may
           .WithTags("admin");
    }

    private static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> Reload(HttpContext context, RecommendationService service, ServingOptions options, Func<string, string, ServingSnapshot> reloader)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "the admin endpoints require Authorization: Bearer <token>.");
        }
        if (!TokenMatches(header["Bearer ".Length..].Trim(), options.AdminToken!))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "wrong admin token.");
        var body = await context.Request.ReadFromJsonAsync<ReloadBody>(context.RequestAborted)
            ?? throw new ArgumentException("the body must be {\"run\": PATH, \"data\": PATH}.");
        if (string.IsNullOrWhiteSpace(body.Run) || string.IsNullOrWhiteSpace(body.Data))
            throw new ArgumentException("the body must name both \"run\" and \"data\".");
        foreach (var path in new[] { body.Run, body.Data })
            if (!IsInsideRoots(path, options.ReloadRoots))
                return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"'{path}' is outside the reload roots.");
        try
        {
            // Not cancelled with the request: a swap half done by a disconnecting client would only waste the load.
            return TypedResults.Ok(await service.SwapAsync(_ => reloader(body.Run, body.Data), CancellationToken.None));
        }
        catch (Exception e) when (ProblemMiddleware.IsLoadError(e))
        {
            return TypedResults.Problem(statusCode: 400, title: "Reload failed", detail: e.Message);
        }
    }

    private static bool TokenMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>Whether <paramref name="path"/> is one of <paramref name="roots"/> or lies below one (full paths; "..", "." resolved).</summary>
    public static bool IsInsideRoots(string path, IReadOnlyList<string> roots)
    {
        string full;
        try { full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return false; }
        foreach (var root in roots)
        {
            var r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
            if (full == r || full.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
