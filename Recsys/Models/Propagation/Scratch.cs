namespace Recsys.Models.Propagation;

/// <summary>Per-thread reusable float buffers for propagation intermediates (slots 0..3), grown on demand.</summary>
internal static class Scratch
{
    [ThreadStatic] private static float[]?[]? _slots;

    /// <summary>A buffer of exactly <paramref name="length"/> floats (contents undefined) in <paramref name="slot"/>.</summary>
    public static Span<float> Get(int slot, int length)
    {
        _slots ??= new float[]?[4];
        var b = _slots[slot];
        if (b is null || b.Length < length) _slots[slot] = b = new float[length];
        return b.AsSpan(0, length);
    }
}
