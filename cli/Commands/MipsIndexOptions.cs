using System.CommandLine;
using Recsys.Devices;
using Recsys.Retrieval.Mips;

namespace Recsys.Cli.Commands;

/// <summary>
/// The MIPS index options shared by <c>recsys retrieve</c> and <c>recsys eval</c>: <c>--backend</c>,
/// <c>--overfetch</c>, <c>--device</c> and <c>--threads</c>, parsed into a typed <see cref="MipsIndexChoice"/>.
/// </summary>
internal sealed class MipsIndexOptions
{
    public Option<string> Backend { get; } = BackendOption();
    public Option<double> OverFetch { get; } = new("--overfetch") { Description = "int8 backend: candidates per query = ⌈k × this⌉, re-ranked exactly in fp32", DefaultValueFactory = _ => new Int8MipsOptions().OverFetch };
    public Option<string> Device { get; } = new("--device") { Description = "torch backend device: auto | cpu | cuda[:N] (auto = cuda when available)", DefaultValueFactory = _ => "auto" };
    public Option<int> Threads { get; }

    /// <param name="defaultThreads">The --threads default: 0 (all cores) for batch work; a server answering concurrent requests passes 1.</param>
    public MipsIndexOptions(int defaultThreads = 0) =>
        Threads = new("--threads") { Description = "CPU threads of the cpu and int8 backends per search (0 = all cores)", DefaultValueFactory = _ => defaultThreads };

    public HnswIndexOptions Hnsw { get; } = new();

    public IEnumerable<Option> All => [Backend, OverFetch, Device, Threads, .. Hnsw.All];

    public MipsIndexChoice Parse(ParseResult pr) => new()
    {
        Factory = pr.GetValue(Backend) == "hnsw" ? Hnsw.Factory(pr, pr.GetValue(Threads)) : null,
        Backend = pr.GetValue(Backend) switch { "torch" => MipsBackend.Torch, "int8" => MipsBackend.Int8, _ => MipsBackend.Cpu },
        Device = DeviceChoice.Parse(pr.GetValue(Device)!, "--device"),
        Threads = pr.GetValue(Threads),
        OverFetch = pr.GetValue(OverFetch),
    };

    private static Option<string> BackendOption()
    {
        var o = new Option<string>("--backend") { Description = "cpu (exact SIMD kernel) | int8 (int8 first pass + exact fp32 re-rank) | torch | hnsw (approximate graph index, USearch)", DefaultValueFactory = _ => "cpu" };
        o.AcceptOnlyFromAmong("cpu", "int8", "torch", "hnsw");
        return o;
    }
}
