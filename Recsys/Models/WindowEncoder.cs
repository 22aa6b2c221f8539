using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// A user encoder over the last <c>maxLength</c> items of each history: histories are encoded in chunks of left-padded
/// rows (item + 1, 0 = padding) by the subclass's CPU network copy. Calls are serialised by a lock (thread-safe, not
/// concurrent).
/// </summary>
public abstract class WindowEncoder : IUserEncoder, IDisposable
{
    private const int Chunk = 256;
    private readonly int _maxLength, _numItems;
    private readonly object _lock = new();

    protected WindowEncoder(int dim, int maxLength, int numItems)
    {
        Dim = dim; _maxLength = maxLength; _numItems = numItems;
    }

    public int Dim { get; }

    /// <summary>Hold the GC off during each chunk (see <see cref="Recsys.Training.GcQuiet"/>).</summary>
    protected virtual bool QuietGc => false;

    /// <summary>Queries [n, Dim] of left-padded rows [n, t] (int64).</summary>
    protected abstract Tensor Queries(Tensor rows, int t);

    /// <summary>Releases the network copy.</summary>
    protected abstract void DisposeNetwork();

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
                using var quiet = QuietGc ? Recsys.Training.GcQuiet.Enter() : default;
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                Queries(tensor(rows, [n, t]), t).contiguous().data<float>().CopyTo(result.AsSpan(start * Dim, n * Dim));
            }
        }
        return result;
    }

    public void Dispose()
    {
        lock (_lock) DisposeNetwork();
        GC.SuppressFinalize(this);
    }
}
