using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The GRank generator's user tower for serving: its own CPU copy of a <see cref="GRankGenerator"/> (eval mode, no
/// dropout, no injected candidates), so it outlives the trained model. A history (item ids, oldest first) is cut to
/// its last MaxLength items; the query is the query token's output after it, [Dim]. An empty history is one padding
/// column: the query token then attends to itself only, the same vector for every user without history. Calls are
/// serialised by a lock (thread-safe, not concurrent).
/// </summary>
public sealed class GRankEncoder : WindowEncoder
{
    private readonly GRankGenerator _generator;

    /// <summary>
    /// Copies <paramref name="source"/>'s weights (from any device) into a fresh CPU copy. Call it outside any
    /// dispose scope, or the copy's parameters are disposed with the scope.
    /// </summary>
    public GRankEncoder(GRankOptions options, int numItems, GRankGenerator source) : base((options ?? throw new ArgumentNullException(nameof(options))).Dim, options.MaxLength, numItems)
    {
        ArgumentNullException.ThrowIfNull(source);
        _generator = new GRankGenerator(options, numItems, seed: 0);
        ServingCopy.Weights(source, _generator);
        // A registry item table is frozen into the copy's own padded table: serving needs its rows, not its structure.
        if (source.ItemTable is null) ServingCopy.PaddedItems(source.ItemRows, _generator.ItemTable!);
    }

    // TorchSharp's temporary Scalars may be finalized mid-call by a GC on another thread (see GcQuiet).
    protected override bool QuietGc => true;

    protected override Tensor Queries(Tensor rows, int t) => _generator.Query(rows);

    protected override void DisposeNetwork() => _generator.Dispose();
}
