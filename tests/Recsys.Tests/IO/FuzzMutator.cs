using System.Text;

namespace Recsys.Tests.IO;

/// <summary>
/// Seeded random damage to a valid file: bit flips, truncations, huge or non-finite numbers, duplicated, dropped
/// or CRLF lines, inserted bytes, and (for binary files) overwritten words. One to three mutations per case.
/// </summary>
internal static class FuzzMutator
{
    private static readonly string[] Numbers =
        ["2147483647", "2147483648", "4294967295", "99999999999999999999", "-1", "1e39", "NaN", "Infinity", "-0", "0", "1024", "3000000000"];

    private static readonly uint[] Words = [0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0, 1, 0xFFFF, 0x4000_0000];

    public static byte[] Mutate(byte[] source, Random rng)
    {
        var b = new List<byte>(source);
        int n = rng.Next(1, 4);
        for (int k = 0; k < n && b.Count > 0; k++)
        {
            switch (rng.Next(8))
            {
                case 0:   // bit flip
                    int p = rng.Next(b.Count);
                    b[p] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:   // truncate
                    int cut = rng.Next(b.Count + 1);
                    b.RemoveRange(cut, b.Count - cut);
                    break;
                case 2:   // replace a digit run with a hostile number
                    ReplaceNumber(b, rng);
                    break;
                case 3:   // duplicate a line (or a chunk)
                    var (s, e) = Line(b, rng);
                    b.InsertRange(e, b.GetRange(s, e - s));
                    break;
                case 4:   // drop a line (or a chunk)
                    var (s2, e2) = Line(b, rng);
                    b.RemoveRange(s2, e2 - s2);
                    break;
                case 5:   // insert separators and odd bytes
                    byte[] odd = [(byte)'\r', (byte)'\n', (byte)'\t', (byte)',', (byte)'"', 0, 0xFF, (byte)' ', (byte)'|'];
                    b.Insert(rng.Next(b.Count + 1), odd[rng.Next(odd.Length)]);
                    break;
                case 6:   // overwrite a 32-bit word (lengths, offsets, counts in binary headers)
                    if (b.Count >= 4)
                    {
                        int at = rng.Next(b.Count - 3);
                        var w = BitConverter.GetBytes(Words[rng.Next(Words.Length)]);
                        for (int i = 0; i < 4; i++) b[at + i] = w[i];
                    }
                    break;
                default:  // LF → CRLF everywhere
                    for (int i = b.Count - 1; i >= 0; i--) if (b[i] == (byte)'\n') b.Insert(i, (byte)'\r');
                    break;
            }
        }
        return b.ToArray();
    }

    private static (int Start, int End) Line(List<byte> b, Random rng)
    {
        int p = rng.Next(b.Count);
        int s = p, e = p;
        while (s > 0 && b[s - 1] != (byte)'\n' && p - s < 64) s--;
        while (e < b.Count && b[e] != (byte)'\n' && e - p < 64) e++;
        if (e < b.Count) e++;
        return (s, e);
    }

    private static void ReplaceNumber(List<byte> b, Random rng)
    {
        int p = rng.Next(b.Count);
        int start = -1;
        for (int i = 0; i < b.Count; i++)
        {
            int j = (p + i) % b.Count;
            if (b[j] is >= (byte)'0' and <= (byte)'9') { start = j; break; }
        }
        var num = Encoding.ASCII.GetBytes(Numbers[rng.Next(Numbers.Length)]);
        if (start < 0) { b.InsertRange(p, num); return; }
        while (start > 0 && b[start - 1] is >= (byte)'0' and <= (byte)'9') start--;
        int end = start;
        while (end < b.Count && b[end] is >= (byte)'0' and <= (byte)'9') end++;
        b.RemoveRange(start, end - start);
        b.InsertRange(start, num);
    }
}
