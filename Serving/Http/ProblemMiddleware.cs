using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Recsys.Data;

namespace Recsys.Serving.Http;

/// <summary>
/// Turns request errors into RFC 7807 problem details — malformed JSON, over-limit values and other bad input are 400
/// with the reason, an unknown item is 404, a backend that cannot answer for now is 503 — so no caller mistake or
/// passing outage surfaces as a 500. Counts every error response.
/// </summary>
internal sealed class ProblemMiddleware(RequestDelegate next, IProblemDetailsService problems, ServingMetrics metrics, ILogger<ProblemMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && Map(e) is { } p)
        {
            if (p.Status >= 500) log.LogWarning("{Path}: {Status} {Detail}", context.Request.Path, p.Status, p.Detail);
            context.Response.Clear();
            context.Response.StatusCode = p.Status!.Value;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = p, Exception = e });
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the request timed out): nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            log.LogError(e, "unhandled error serving {Path}", context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = new ProblemDetails { Status = 500, Title = "Internal error" } });
        }
        finally
        {
            if (context.Response.StatusCode >= 400) metrics.Error(context.Response.StatusCode);
        }
    }

    /// <summary>The problem an input error stands for; null for bugs.</summary>
    internal static ProblemDetails? Map(Exception e) => e switch
    {
        // Minimal APIs wrap body-binding failures (malformed JSON, wrong types, a missing body) with the JSON reader's reason inside.
        BadHttpRequestException b => Problem(400, "Bad request", b.InnerException is JsonException j ? $"{b.Message} {j.Message}" : b.Message),
        JsonException j => Problem(400, "Malformed JSON", j.Message),
        KeyNotFoundException k => Problem(404, "Not found", k.Message),
        BackendUnavailableException u => Problem(503, "Backend unavailable", FirstLine(u.Message)),
        ArgumentOutOfRangeException { ParamName: { } name } a => Problem(400, "Invalid request", $"{name}: {FirstLine(a.Message).Replace($" (Parameter '{name}')", "")}"),
        ArgumentException a => Problem(400, "Invalid request", FirstLine(a.Message)),
        _ => null,
    };

    /// <summary>Errors loading a run for a reload: the operator's input (paths, files), reported as 400.</summary>
    internal static bool IsLoadError(Exception e) =>
        e is IOException or InvalidDataException or DataFormatException or ArgumentException or UnauthorizedAccessException or JsonException;

    internal static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r');
}
