namespace Recsys.Catalog;

/// <summary>
/// Parsed values of the <see cref="KindParameter"/>s a front end was given for one kind. Read back through the
/// parameter objects, so a kind only sees values of the types it declared.
/// </summary>
public sealed class KindArguments
{
    private readonly Dictionary<KindParameter, object> _values = new();

    /// <summary>Sets <paramref name="p"/> from its text form (parse errors name the parameter).</summary>
    public KindArguments Set(KindParameter p, string text)
    {
        _values[p] = p.ParseValue(text);
        return this;
    }

    /// <summary>Sets <paramref name="p"/> to <paramref name="value"/>.</summary>
    public KindArguments Set<T>(KindParameter<T> p, T value)
    {
        _values[p] = value!;
        return this;
    }

    public bool TryGet<T>(KindParameter<T> p, out T value)
    {
        if (_values.TryGetValue(p, out var v)) { value = (T)v; return true; }
        value = default!;
        return false;
    }

    /// <summary>The value of <paramref name="p"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public T GetOr<T>(KindParameter<T> p, T fallback) => TryGet(p, out var v) ? v : fallback;
}
