using System.Runtime.CompilerServices;

namespace Recsys.Data.Import;

/// <summary>Parses non-negative decimal ids straight from UTF-8 bytes, with errors that name file, line and field.</summary>
public static class IdParser
{
    /// <summary>Parses <paramref name="token"/> as an id in 0..int.MaxValue or throws a <see cref="DataFormatException"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Parse(ReadOnlySpan<byte> token, TextSource src, long line, string field)
    {
        if (token.IsEmpty || token.Length > 10) return Fail(token, src, line, field);
        long v = 0;
        foreach (byte b in token)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9) return Fail(token, src, line, field);
            v = v * 10 + digit;
        }
        if (v > int.MaxValue) return Fail(token, src, line, field);
        return (int)v;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Fail(ReadOnlySpan<byte> token, TextSource src, long line, string field)
    {
        var shown = TextSource.Show(token);
        if (token.IsEmpty) throw src.Error(line, field, "missing value.");
        if (token[0] == (byte)'-' && long.TryParse(token, out _))
            throw src.Error(line, field, $"negative id '{shown}'; ids must be 0 or greater.");
        if (long.TryParse(token, out _)) throw src.Error(line, field, $"id '{shown}' is too large.");
        throw src.Error(line, field, $"'{shown}' is not an integer id.");
    }
}
