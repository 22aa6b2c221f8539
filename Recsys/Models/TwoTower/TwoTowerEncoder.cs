using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The two-tower user tower for serving: its own CPU copy of a <see cref="TwoTowerNetwork"/> and of the item inputs
/// x_i (computed once), so it outlives the trained model. A history (item ids, oldest first) is cut to its last
/// MaxLength items and pooled with recency weights; no user row is added, so a known user encoded here is treated as
/// a new user with that history (with UserIds, known users are served from the snapshot's user rows instead). An
/// empty history pools to the zero vector: every user without history gets the same query, the user MLP's response
/// to zero. Calls are serialised by a lock (thread-safe, not concurrent).
/// </summary>
public sealed class TwoTowerEncoder : IUserEncoder, IDisposable
{
    private const int Chunk = 1024;
    private readonly TwoTowerNetwork _network;
    private readonly HistoryPooling _pooling;
    private readonly Tensor _inputs;
    private readonly object _lock = new();

    /// <summary>
    /// Copies <paramref name="source"/>'s weights (from any device) into a fresh CPU network. Call it outside any
    /// dispose scope, or the copy is disposed with the scope.
    /// </summary>
    public TwoTowerEncoder(TwoTowerOptions options, TwoTowerNetwork source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        Dim = options.Dim;
        _pooling = new HistoryPooling(options.MaxLength, options.RecencyDecay);
        _network = source.CpuCopy(options);
        _network.eval();
        using var _ = no_grad();
        _inputs = _network.ItemInputs().detach().clone().DetachFromDisposeScope();
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
                int n = Math.Min(Chunk, histories.Count - start);
                var part = new int[n][];
                for (int k = 0; k < n; k++) part[k] = histories[start + k] ?? throw new ArgumentNullException(nameof(histories), $"history {start + k} is null.");
                int width = _pooling.Width(part);
                var (items, weights) = _pooling.Rows(part, width, _network.NumItems, start);
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                _network.UserVectors(_inputs, items, weights, width, users: null).contiguous().data<float>()
                    .CopyTo(result.AsSpan(start * Dim, n * Dim));
            }
        }
        return result;
    }

    public void Dispose()
    {
        lock (_lock) { _inputs.Dispose(); _network.Dispose(); }
    }
}
