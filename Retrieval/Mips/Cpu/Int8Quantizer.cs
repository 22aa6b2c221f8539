using System.Runtime.CompilerServices;

namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// Symmetric int8 quantisation for <see cref="Int8MipsIndex"/>, with one scale per dimension shared by all items.
/// Item x is stored as X[t] = round(x[t] / s[t]) ∈ [−127, 127] with s[t] = max_i |x_i[t]| / 127; the query folds the
/// scales in (q'[t] = q[t]·s[t]) and is quantised with its own scale to Q ∈ [−127, 127], so q·x ≈ c_q · Σ_t Q[t]·X[t]
/// with c_q &gt; 0 per query: integer scores are directly comparable across items of one query, and the kernel's
/// threshold test stays an integer compare. <c>vpdpbusd</c> multiplies unsigned by signed bytes, so queries are stored
/// offset as Q + 128 ∈ [1, 255] and each item carries −128·Σ_t X[t] as its accumulator start value.
/// Non-finite values are ignored for the scales; NaN quantises to 0 and ±∞ to ±127 (the exact re-rank sees the truth).
/// </summary>
internal static unsafe class Int8Quantizer
{
    /// <summary>Items per packed panel (two 8-lane int32 accumulators per query).</summary>
    public const int PW = 16;
    /// <summary>Queries per micro-block.</summary>
    public const int MR = 8;

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
    /// Packs items [count, dim] into panels [numPanels][PaddedDim/4][PW][4] (signed bytes, zero padding) and writes
    /// each item's accumulator start −128·Σ_t X[t] to <paramref name="start"/> [numPanels·PW] (0 for padding items).
    /// </summary>
    public static void PackItems(ReadOnlySpan<float> items, int dim, float[] scales, sbyte* panels, int* start, int numPanels)
    {
        int groups = PaddedDim(dim) / 4, count = items.Length / dim;
        long panelBytes = (long)groups * PW * 4;
        new Span<byte>(panels, checked((int)(numPanels * panelBytes))).Clear();
        new Span<int>(start, numPanels * PW).Clear();
        var inv = new float[dim];
        for (int t = 0; t < dim; t++) inv[t] = 1f / scales[t];
        for (int i = 0; i < count; i++)
        {
            sbyte* dst = panels + (i / PW) * panelBytes + (i % PW) * 4;
            var src = items.Slice(i * dim, dim);
            int sum = 0;
            for (int t = 0; t < dim; t++)
            {
                sbyte x = Quantize(src[t], inv[t]);
                dst[(t >> 2) * PW * 4 + (t & 3)] = x;
                sum += x;
            }
            start[i] = -128 * sum;
        }
    }

    /// <summary>
    /// Quantises queries [nq, dim] into [micro-block][PaddedDim/4][MR][4] unsigned bytes Q + 128 (padding rows and
    /// dimensions hold 128, i.e. Q = 0).
    /// </summary>
    public static void PackQueries(float* src, int nq, int dim, float[] scales, byte* dst, int microBlocks)
    {
        int groups = PaddedDim(dim) / 4;
        long mbBytes = (long)groups * MR * 4;
        new Span<byte>(dst, checked((int)(microBlocks * mbBytes))).Fill(128);
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
            byte* o = dst + (i / MR) * mbBytes + (i % MR) * 4;
            for (int t = 0; t < dim; t++) o[(t >> 2) * MR * 4 + (t & 3)] = (byte)(Quantize(scaled[t], inv) + 128);
        }
    }
}
