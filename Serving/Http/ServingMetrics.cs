using Prometheus;

namespace Recsys.Serving.Http;

/// <summary>
/// The host's Prometheus metrics, in a registry of its own (so two hosts in one process, as in tests, never share
/// counters): prometheus-net's HTTP request counts and latency histograms, error responses by status code, the
/// served snapshot's generation and version, and request batching (refreshed on every scrape).
/// </summary>
public sealed class ServingMetrics
{
    private readonly Counter _errors;
    private readonly Gauge _generation;
    private readonly Gauge _info;
    private readonly Gauge _batchSearches, _batchRequests;
    private string[]? _infoLabels;

    public ServingMetrics(RecommendationService service)
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        _errors = Factory.CreateCounter("recsys_serving_errors_total", "Responses with a 4xx or 5xx status.", ["code"]);
        _generation = Factory.CreateGauge("recsys_serving_snapshot_generation", "Snapshots published since start (1 = the initial one).");
        _info = Factory.CreateGauge("recsys_serving_snapshot_info", "The served snapshot (value 1).", ["version", "kind"]);
        _batchSearches = Factory.CreateGauge("recsys_serving_batched_searches", "Coalesced index searches on the served snapshot (--batch-requests).");
        _batchRequests = Factory.CreateGauge("recsys_serving_batched_requests", "Requests those searches answered; requests / searches = mean batch size.");
        Registry.AddBeforeCollectCallback(() =>
        {
            var m = service.Model;
            var (searches, requests) = service.BatchStats;
            _batchSearches.Set(searches);
            _batchRequests.Set(requests);
            _generation.Set(m.Generation);
            string[] labels = [m.Version, m.Kind];
            if (_infoLabels is { } old && !old.SequenceEqual(labels)) _info.RemoveLabelled(old);
            _info.WithLabels(labels).Set(1);
            _infoLabels = labels;
        });
    }

    public CollectorRegistry Registry { get; }
    public IMetricFactory Factory { get; }

    /// <summary>Counts one error response.</summary>
    public void Error(int status) => _errors.WithLabels(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
