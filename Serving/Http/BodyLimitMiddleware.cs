namespace Recsys.Serving.Http;

/// <summary>
/// Enforces <see cref="ServingOptions.MaxBodyBytes"/> the same way on every server (Kestrel, the test server): a
/// declared length over the limit is refused before reading; a body of unknown length is buffered up to the limit.
/// Over-limit bodies become a <see cref="BadHttpRequestException"/> with status 400, which the problem middleware reports.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, ServingOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long max = options.MaxBodyBytes;
        var request = context.Request;
        if (request.ContentLength is { } declared)
        {
            if (declared > max) throw TooLarge(declared, max);
        }
        else if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
        {
            var buffer = new MemoryStream();
            context.Response.RegisterForDispose(buffer);
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + n > max) throw TooLarge(null, max);
                buffer.Write(chunk, 0, n);
            }
            buffer.Position = 0;
            request.Body = buffer;
        }
        await next(context);
    }

    private static BadHttpRequestException TooLarge(long? size, long max) =>
        new(size is { } s ? $"the request body is {s} bytes; the limit is {max} bytes." : $"the request body exceeds the limit of {max} bytes.", StatusCodes.Status400BadRequest);
}
