using System.Runtime.CompilerServices;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// Symmetric int8 quantisation for <see cref="Int8MipsIndex"/>, with one scale per dimension shared by all items.
/// Item x is stored as X[t] = round(x[t] / s[t]) ∈ [−127, 127] with s[t] = max_i |x_i[t]| / 127; the query folds the
/// scales in (q'[t] = q[t]·s[t]) and is quantised with its own scale to Q ∈ [−127, 127], so q·x ≈ c_q · Σ_t Q[t]·X[t]
/// with c_q &gt; 0 per query: integer scores are directly comparable across items of one query, and the kernel's
/// threshold test stays an integer compare. <c>vpdpbusd</c> multiplies unsigned by signed bytes, so items are stored
/// offset as X + 128 ∈ [1, 255]: the kernel's score Σ Q·(X + 128) = Q·X + 128·ΣQ differs from Q·X by a per-query
/// constant, which changes no ranking or threshold test of that query. The query is the signed operand so that the JIT
/// can fold its broadcast into the instruction (one register fewer, which keeps all accumulators in registers).
/// Padding items are all-zero bytes with accumulator start int.MinValue, so their score stays int.MinValue.
/// Non-finite values are ignored for the scales; NaN quantises to 0 and ±∞ to ±127 (the exact re-rank sees the truth).
/// </summary>
internal static unsafe class Int8Quantizer
{
    /// <summary>Items per packed panel (two 8-lane int32 accumulators per query).</summary>
    public const int PW = 16;
    /// <summary>Queries per micro-block.</summary>
    public const int MR = 6;

    /// <summary>Dimensions padded to a multiple of 4 (one <c>vpdpbusd</c> lane sums four products).</summary>
    public static int PaddedDim(int dim) => (dim + 3) & ~3;

    /// <summary>Per-dimension scales s[t] = max_i |x_i[t]| / 127 over finite values (1 where a dimension is all zero).</summary>
    public static float[] DimScales(ReadOnlySpan<float> items, int dim)
    {
        var max = new float[dim];
        for (int i = 0; i < items.Length; i++)
        {
            float a = MathF.Abs(items[i]);
            int t = i % dim;
            if (float.IsFinite(a) && a > max[t]) max[t] = a;
        }
        for (int t = 0; t < dim; t++) max[t] = max[t] > 0 ? max[t] / 127f : 1f;
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static sbyte Quantize(float v, float inv)
    {
        float r = MathF.Round(v * inv);
        if (float.IsNaN(r)) return 0;
        return (sbyte)Math.Clamp(r, -127f, 127f);
    }

    /// <summary>
    /// Packs items [count, dim] into panels [numPanels][PaddedDim/4][PW][4] of unsigned bytes X + 128 (128 in padding
    /// dimensions, 0 for padding items) and writes accumulator starts to <paramref name="start"/> [numPanels·PW]: 0 for
    /// items, int.MinValue for padding items.
    /// </summary>
    public static void PackItems(ReadOnlySpan<float> items, int dim, float[] scales, byte* panels, int* start, int numPanels)
    {
        int groups = PaddedDim(dim) / 4, count = items.Length / dim;
        long panelBytes = (long)groups * PW * 4;
        new Span<byte>(panels, checked((int)(numPanels * panelBytes))).Clear();
        // Padding items start at int.MinValue: their score stays there and never beats a threshold (≥ int.MinValue).
        new Span<int>(start, numPanels * PW).Fill(int.MinValue);
        var inv = new float[dim];
        for (int t = 0; t < dim; t++) inv[t] = 1f / scales[t];
        for (int i = 0; i < count; i++)
        {
            byte* dst = panels + (i / PW) * panelBytes + (i % PW) * 4;
            var src = items.Slice(i * dim, dim);
            for (int t = 0; t < groups * 4; t++)
                dst[(t >> 2) * PW * 4 + (t & 3)] = (byte)((t < dim ? Quantize(src[t], inv[t]) : 0) + 128);
            start[i] = 0;
        }
    }

    /// <summary>
    /// Quantises queries [nq, dim] into [micro-block][PaddedDim/4][MR][4] signed bytes Q (0 in padding rows and dimensions).
    /// </summary>
    public static void PackQueries(float* src, int nq, int dim, float[] scales, sbyte* dst, int microBlocks)
    {
        int groups = PaddedDim(dim) / 4;
        long mbBytes = (long)groups * MR * 4;
        new Span<sbyte>(dst, checked((int)(microBlocks * mbBytes))).Clear();
        Span<float> scaled = dim <= 1024 ? stackalloc float[dim] : new float[dim];
        for (int i = 0; i < nq; i++)
        {
            float* q = src + (long)i * dim;
            float max = 0;
            for (int t = 0; t < dim; t++)
            {
                scaled[t] = q[t] * scales[t];
                float a = MathF.Abs(scaled[t]);
                if (float.IsFinite(a) && a > max) max = a;
            }
            float inv = max > 0 ? 127f / max : 0f;
            sbyte* o = dst + (i / MR) * mbBytes + (i % MR) * 4;
            for (int t = 0; t < dim; t++) o[(t >> 2) * MR * 4 + (t & 3)] = Quantize(scaled[t], inv);
        }
    }
}
