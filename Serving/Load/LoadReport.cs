namespace Recsys.Serving.Load;

/// <summary>
/// What a load run measured: throughput, latency of successful requests, failures by cause, the answer check, the
/// hot swaps and a per-second timeline (for plots).
/// </summary>
public sealed record LoadReport
{
    public required Uri Url { get; init; }
    public required int Clients { get; init; }
    public required double Seconds { get; init; }
    /// <summary>Measured requests (successful or not).</summary>
    public required long Requests { get; init; }
    public required long Failed { get; init; }
    /// <summary>Failures by cause: an HTTP status ("503") or an exception type ("timeout", "HttpRequestException").</summary>
    public required IReadOnlyDictionary<string, long> Failures { get; init; }
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;
    public required LatencySummary Latency { get; init; }
    /// <summary>Answers compared with the library's in-process answers, and how many differed.</summary>
    public required long Checked { get; init; }
    public required long Mismatches { get; init; }
    /// <summary>The first difference found, for the report.</summary>
    public string? FirstMismatch { get; init; }
    /// <summary>Distinct model generations among the checked answers (more than one when a swap happened mid-run).</summary>
    public required int GenerationsSeen { get; init; }
    public required IReadOnlyList<SwapRecord> Swaps { get; init; }
    /// <summary>Latency of requests in flight while a swap ran or within a second after it.</summary>
    public required LatencySummary LatencyAroundSwaps { get; init; }
    public required IReadOnlyList<LoadSecond> Timeline { get; init; }
}

/// <summary>One hot swap: when it started (seconds into the measured part), how long it took, and its HTTP status (0 when it threw).</summary>
public sealed record SwapRecord(double At, double Seconds, int Status, string? Error);

/// <summary>One second of the measured part: requests completed and their P99 (ms).</summary>
public sealed record LoadSecond(int Second, long Requests, double P99);
