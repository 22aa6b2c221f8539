using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Recsys.Catalog;
using Recsys.Serving;
using Recsys.Serving.Cluster;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys serve --cluster ADDR [--cluster-id ID] [--shards 3] [--replicas 2]</c>: the HTTP host becomes a client of a
/// shard cluster (<c>recsys silo</c>): the run's items are laid out over the silos when it loads, searches fan out to
/// them, and <c>/admin/reload</c> swaps cluster-wide (every shard of the new version loads before the flip).
/// </summary>
internal sealed class ServeClusterOptions
{
    private readonly ClusterArguments _cluster = new(required: false);
    private readonly Option<int> _shards = new("--shards") { Description = "With --cluster: contiguous item ranges the run's items are cut into.", DefaultValueFactory = _ => new ClusterLayout().Shards };
    private readonly Option<int> _replicas = new("--replicas") { Description = "With --cluster: copies of each shard on different silos.", DefaultValueFactory = _ => new ClusterLayout().Replicas };

    public IEnumerable<Option> All => _cluster.All.Concat([_shards, _replicas]);

    /// <summary>A started cluster client, or null without <c>--cluster</c>.</summary>
    public IHost? Connect(ParseResult pr)
    {
        if (_cluster.Parse(pr) is not { } address) return null;
        if (pr.GetValue<string>("--backend") is { } b && b != "cpu") throw new ArgumentException("the cluster searches with the exact cpu kernel; drop --backend.", "--backend");
        // The serving stack searches synchronously (IMipsIndex), so each request in flight holds a pool thread while it
        // waits for the cluster; a larger floor keeps the pool from starving the grain calls' own continuations.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        return ClusterArguments.ConnectAsync(address, pr.GetValue(_cluster.ClusterId)!, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    /// <summary>Loads (run, data) with its items on the cluster <paramref name="host"/> is a client of.</summary>
    public Func<string, string, ServingSnapshot> Loader(IHost host, ParseResult pr, RecsysCatalog catalog)
    {
        var layout = new ClusterLayout { Shards = pr.GetValue(_shards), Replicas = pr.GetValue(_replicas) };
        try { layout.Validate(); }
        catch (ArgumentOutOfRangeException e) { throw new ArgumentOutOfRangeException(e.ParamName == nameof(ClusterLayout.Shards) ? "--shards" : "--replicas", e.ActualValue, e.Message.Split(" (Parameter")[0]); }
        var client = host.Services.GetRequiredService<IClusterClient>();
        return (run, data) => ClusterServing.Load(run, data, catalog, client, layout);
    }

    /// <summary>How the index is described on the start line.</summary>
    public string Describe(ParseResult pr) => $"cluster {pr.GetValue(_cluster.Address)}, {pr.GetValue(_shards)} shards × {pr.GetValue(_replicas)} replicas";
}
