using static TorchSharp.torch;

namespace Recsys.Models.Propagation;

/// <summary>
/// The N × d buffers of one NGCF training propagation on CPU (<see cref="NgcfPropagationFunction"/>), kept from step
/// to step: fresh table-sized tensors each step cost page faults and zero-fills that showed up as ≈ 10% of a
/// Gowalla step's CPU time. One forward holds the workspace until its backward hands it back; a forward that finds
/// it held (two losses built before one backward) gets a private workspace of fresh tensors, so graphs never share
/// buffers. A graph dropped without a backward releases its hold when the collector finds its state unreachable.
/// </summary>
internal sealed class NgcfWorkspace : IDisposable
{
    private readonly bool _shared;
    private readonly Dictionary<string, Tensor> _buffers = new();
    private WeakReference<object>? _holder;

    public NgcfWorkspace() : this(shared: true) { }

    private NgcfWorkspace(bool shared) => _shared = shared;

    /// <summary>This workspace for a new forward whose state is <paramref name="holder"/>, or a private one when another graph holds it.</summary>
    public NgcfWorkspace Acquire(object holder)
    {
        if (_holder is not null && _holder.TryGetTarget(out _)) return new NgcfWorkspace(shared: false);
        _holder = new WeakReference<object>(holder);
        return this;
    }

    /// <summary>Hands the workspace back after <paramref name="holder"/>'s backward.</summary>
    public void Release(object holder)
    {
        if (_holder is not null && _holder.TryGetTarget(out var h) && ReferenceEquals(h, holder)) _holder = null;
    }

    /// <summary>
    /// The buffer named <paramref name="name"/> of shape [rows, cols] (contents undefined; replaced when the shape
    /// changes). A private workspace returns a new tensor in the current dispose scope; the shared one keeps its
    /// tensors out of every scope until disposed.
    /// </summary>
    public Tensor Get(string name, long rows, long cols)
    {
        if (!_shared) return empty(rows, cols);
        if (_buffers.TryGetValue(name, out var t) && t.shape[0] == rows && t.shape[1] == cols) return t;
        t?.Dispose();
        t = empty(rows, cols);
        t.DetachFromDisposeScope();
        _buffers[name] = t;
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _buffers.Values) t.Dispose();
        _buffers.Clear();
    }
}
