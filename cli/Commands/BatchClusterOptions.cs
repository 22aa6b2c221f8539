using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Recsys.Retrieval.Mips;
using Recsys.Serving.Cluster;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>--cluster ADDR [--cluster-id ID] [--shards 3] [--replicas 2] [--block-size N]</c> of the batch verbs
/// (<c>retrieve</c>, <c>eval</c>): the job's items are laid out on a shard cluster (<c>recsys silo</c>) for the job's
/// length and searched there in blocks of users; everything else stays in this process. Cluster failures become one
/// line naming <c>--cluster</c>.
/// </summary>
internal sealed class BatchClusterOptions
{
    private readonly ClusterArguments _cluster = new(required: false);
    private readonly Option<int> _shards = new("--shards") { Description = "With --cluster: contiguous item ranges the items are cut into.", DefaultValueFactory = _ => new ClusterLayout().Shards };
    private readonly Option<int> _replicas = new("--replicas") { Description = "With --cluster: copies of each shard on different silos.", DefaultValueFactory = _ => new ClusterLayout().Replicas };

    /// <param name="blockSize">The verb's own users-per-block option, or null to add <c>--block-size</c> here.</param>
    public BatchClusterOptions(Option<int>? blockSize = null)
    {
        OwnBlockSize = blockSize is null;
        BlockSize = blockSize ?? new Option<int>("--block-size") { Description = "With --cluster: queries per call to the cluster.", DefaultValueFactory = _ => new ClusterBatchOptions().BlockSize };
    }

    private bool OwnBlockSize { get; }
    public Option<int> BlockSize { get; }

    public IEnumerable<Option> All => _cluster.All.Concat(OwnBlockSize ? [_shards, _replicas, BlockSize] : [_shards, _replicas]);

    /// <summary>Whether <c>--cluster</c> was given.</summary>
    public bool Given(ParseResult pr) => pr.GetValue(_cluster.Address) is not null;

    /// <summary>A started cluster client, or null without <c>--cluster</c>.</summary>
    public IHost? Connect(ParseResult pr)
    {
        if (_cluster.Parse(pr) is not { } address) return null;
        if (pr.GetValue<string>("--backend") is { } b && b != "cpu") throw new ArgumentException("the cluster searches with the exact cpu kernel; drop --backend.", "--backend");
        return ClusterArguments.ConnectAsync(address, pr.GetValue(_cluster.ClusterId)!, TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
    }

    /// <summary>The index choice that searches <paramref name="itemsFile"/>'s vectors on the cluster <paramref name="host"/> is a client of.</summary>
    public MipsIndexChoice Choice(IHost host, ParseResult pr, string itemsFile, IProgress<BlockProgress>? progress = null)
    {
        var options = new ClusterBatchOptions
        {
            Layout = new ClusterLayout { Shards = pr.GetValue(_shards), Replicas = pr.GetValue(_replicas) },
            BlockSize = pr.GetValue(BlockSize),
        };
        try { options.Validate(); }
        catch (ArgumentOutOfRangeException e)
        {
            string flag = e.ParamName switch { nameof(ClusterLayout.Shards) => "--shards", nameof(ClusterLayout.Replicas) => "--replicas", _ => BlockSize.Name };
            throw new ArgumentOutOfRangeException(flag, e.ActualValue, e.Message.Split(" (Parameter")[0]);
        }
        return new MipsIndexChoice { Factory = ClusterBatch.Factory(host.Services.GetRequiredService<IClusterClient>(), itemsFile, options, progress) };
    }

    /// <summary>
    /// Runs <paramref name="job"/>; a cluster that fails it (a timeout, a lost shard, vectors that differ from the job's)
    /// becomes an <see cref="IOException"/> naming <c>--cluster</c>.
    /// </summary>
    public T Guard<T>(ParseResult pr, Func<T> job)
    {
        try { return job(); }
        catch (Exception e) when (FromCluster(e) is { } cause)
        {
            throw new IOException($"--cluster {pr.GetValue(_cluster.Address)}: {Describe(cause)}", e);
        }
    }

    /// <summary>The Orleans or cluster error inside <paramref name="e"/>, or null when the failure is not the cluster's.</summary>
    internal static Exception? FromCluster(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is TimeoutException or OrleansException or ShardUnavailableException or ClusterMismatchException) return x;
        }
        return null;
    }

    private static string Describe(Exception e) => e switch
    {
        TimeoutException => $"the cluster did not answer in time ({FirstLine(e.Message)}); are its silos up and is the address right?",
        SiloUnavailableException => $"a silo of the cluster is gone and no other answered ({FirstLine(e.Message)}).",
        _ => FirstLine(e.Message),
    };

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r');
}
