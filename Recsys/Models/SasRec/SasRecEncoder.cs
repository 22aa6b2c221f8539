using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// SASRec's user tower for serving: its own CPU copy of a <see cref="SasRecNetwork"/> (eval mode, no dropout), so it
/// outlives the trained model. A history (item ids, oldest first) is cut to its last MaxLength items and encoded;
/// the query is the hidden state of its final position, [Dim]. An empty history is encoded as a single padding
/// position, whose query is the final layer norm's bias — the same vector for every user without history. Calls are
/// serialised by a lock (thread-safe, not concurrent).
/// </summary>
public sealed class SasRecEncoder : IUserEncoder, IDisposable
{
    private const int Chunk = 256;
    private readonly SasRecNetwork _network;
    private readonly int _maxLength, _numItems;
    private readonly object _lock = new();

    /// <summary>
    /// Copies <paramref name="source"/>'s weights (from any device) into a fresh CPU network. Call it outside any
    /// dispose scope, or the copy's parameters are disposed with the scope.
    /// </summary>
    public SasRecEncoder(SasRecOptions options, int numItems, SasRecNetwork source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        Dim = options.Dim; _maxLength = options.MaxLength; _numItems = numItems;
        _network = new SasRecNetwork(options, numItems, seed: 0);
        ServingCopy.Weights(source, _network);
    }

    public int Dim { get; }

    /// <summary>Queries [histories.Count, Dim], row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An item id is outside 0..NumItems − 1.</exception>
    public float[] Encode(IReadOnlyList<int[]> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var result = new float[histories.Count * Dim];
        lock (_lock)
        {
            for (int start = 0; start < histories.Count; start += Chunk)
            {
                int n = Math.Min(Chunk, histories.Count - start), t = 1;
                for (int k = 0; k < n; k++) t = Math.Max(t, Math.Min(_maxLength, histories[start + k].Length));
                var rows = ServingCopy.LeftPadded(histories, start, n, t, _numItems, nameof(histories));
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var last = _network.Forward(tensor(rows, [n, t])).select(1, t - 1).contiguous();   // [n, Dim]
                last.data<float>().CopyTo(result.AsSpan(start * Dim, n * Dim));
            }
        }
        return result;
    }

    public void Dispose() { lock (_lock) _network.Dispose(); }
}
