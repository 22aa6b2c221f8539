using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The GRank generator's user tower for serving: its own CPU copy of a <see cref="GRankGenerator"/> (eval mode, no
/// dropout, no injected candidates), so it outlives the trained model. A history (item ids, oldest first) is cut to
/// its last MaxLength items; the query is the query token's output after it, [Dim]. An empty history is one padding
/// column: the query token then attends to itself only, the same vector for every user without history. Calls are
/// serialised by a lock (thread-safe, not concurrent).
/// </summary>
public sealed class GRankEncoder : IUserEncoder, IDisposable
{
    private const int Chunk = 256;
    private readonly GRankGenerator _generator;
    private readonly int _maxLength, _numItems;
    private readonly object _lock = new();

    /// <summary>
    /// Copies <paramref name="source"/>'s weights (from any device) into a fresh CPU generator. Call it outside any
    /// dispose scope, or the copy's parameters are disposed with the scope.
    /// </summary>
    public GRankEncoder(GRankOptions options, int numItems, GRankGenerator source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        Dim = options.Dim; _maxLength = options.MaxLength; _numItems = numItems;
        _generator = new GRankGenerator(options, numItems, seed: 0);
        ServingCopy.Weights(source, _generator);
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
                // TorchSharp's temporary Scalars may be finalized mid-call by a GC on another thread (see GcQuiet).
                using var quiet = Recsys.Training.GcQuiet.Enter();
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var q = _generator.Query(tensor(rows, [n, t])).contiguous();            // [n, Dim]
                q.data<float>().CopyTo(result.AsSpan(start * Dim, n * Dim));
            }
        }
        return result;
    }

    public void Dispose() { lock (_lock) _generator.Dispose(); }
}
