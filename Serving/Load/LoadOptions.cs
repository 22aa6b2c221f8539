namespace Recsys.Serving.Load;

/// <summary>
/// A closed-loop load run against one recommendation service: <see cref="Clients"/> concurrent callers, each sending
/// its next request as soon as the previous answer arrives, for <see cref="Duration"/> after a <see cref="Warmup"/>
/// that is not measured. Bounded by <see cref="MaxRequests"/> and a per-request <see cref="Timeout"/>.
/// </summary>
public sealed record LoadOptions
{
    /// <summary>Base address of the service, e.g. http://127.0.0.1:8080 (loopback or a host the operator names).</summary>
    public required Uri Url { get; init; }
    /// <summary>Path requests are posted to.</summary>
    public string Path { get; init; } = "/v1/recommend";
    public int Clients { get; init; } = 32;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Most measured requests; the run stops early when reached.</summary>
    public long MaxRequests { get; init; } = 10_000_000;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>When set, a hot swap (<c>POST /admin/reload</c>) is requested this often during the measured part.</summary>
    public TimeSpan? SwapEvery { get; init; }
    /// <summary>What each swap loads; required with <see cref="SwapEvery"/>.</summary>
    public SwapTarget? Swap { get; init; }

    public LoadOptions Validate()
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https")) throw new ArgumentException($"'{Url}' is not an http(s) address.", nameof(Url));
        if (!Path.StartsWith('/')) throw new ArgumentException("must start with '/'.", nameof(Path));
        if (Clients is < 1 or > 4096) throw new ArgumentOutOfRangeException(nameof(Clients), Clients, "must be in 1..4096.");
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(1)) throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "must be positive and at most an hour.");
        if (Warmup < TimeSpan.Zero || Warmup > TimeSpan.FromMinutes(10)) throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "must be in 0..10 minutes.");
        if (MaxRequests < 1) throw new ArgumentOutOfRangeException(nameof(MaxRequests), MaxRequests, "must be ≥ 1.");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "must be positive.");
        if (SwapEvery is { } every)
        {
            if (every < TimeSpan.FromMilliseconds(100)) throw new ArgumentOutOfRangeException(nameof(SwapEvery), every, "must be at least 100 ms.");
            if (Swap is null) throw new ArgumentException("a swap interval needs a swap target (run, data and admin token).", nameof(Swap));
        }
        return this;
    }
}

/// <summary>What a hot swap during a load run reloads, and the admin token that allows it.</summary>
public sealed record SwapTarget(string Run, string Data, string AdminToken);
