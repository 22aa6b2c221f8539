using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// SASRec's user tower for serving: its own CPU copy of a <see cref="SasRecNetwork"/> (eval mode, no dropout), so it
/// outlives the trained model. A history (item ids, oldest first) is cut to its last MaxLength items and encoded;
/// the query is the hidden state of its final position, [Dim]. An empty history is encoded as a single padding
/// position, whose query is the final layer norm's bias — the same vector for every user without history. Calls are
/// serialised by a lock (thread-safe, not concurrent).
/// </summary>
public sealed class SasRecEncoder : WindowEncoder
{
    private readonly SasRecNetwork _network;

    /// <summary>
    /// Copies <paramref name="source"/>'s weights (from any device) into a fresh CPU copy. Call it outside any
    /// dispose scope, or the copy's parameters are disposed with the scope.
    /// </summary>
    public SasRecEncoder(SasRecOptions options, int numItems, SasRecNetwork source) : base((options ?? throw new ArgumentNullException(nameof(options))).Dim, options.MaxLength, numItems)
    {
        ArgumentNullException.ThrowIfNull(source);
        _network = new SasRecNetwork(options, numItems, seed: 0);
        ServingCopy.Weights(source, _network);
        // A registry item table is frozen into the copy's own padded table: serving needs its rows, not its structure.
        if (source.ItemTable is null) ServingCopy.PaddedItems(source.ItemRows, _network.ItemTable!);
    }

    protected override Tensor Queries(Tensor rows, int t) => _network.Forward(rows).select(1, t - 1);

    protected override void DisposeNetwork() => _network.Dispose();
}
