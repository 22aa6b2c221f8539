using System.Runtime.InteropServices;

namespace Recsys.Retrieval.Mips.Hnsw;

/// <summary>
/// The part of USearch's C API (<c>usearch.h</c>, shipped as <c>libusearch_c</c> in the Cloud.Unum.USearch package)
/// that <see cref="HnswIndex"/> needs. The package's managed wrapper exposes neither filtered search, thread contexts
/// nor in-memory save/load, so the index binds the same native library directly; every call reports failure through
/// its last argument, which <see cref="Check"/> turns into an exception.
/// </summary>
internal static unsafe class USearchNative
{
    private const string Lib = "libusearch_c";

    /// <summary><c>usearch_metric_kind_t</c>.</summary>
    public const int MetricCos = 1, MetricIp = 2;

    /// <summary><c>usearch_scalar_kind_t</c>: f32.</summary>
    public const int ScalarF32 = 1;

    /// <summary><c>usearch_init_options_t</c> (64 bytes on 64-bit targets, as the managed wrapper's <c>IndexOptions</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InitOptions
    {
        public int MetricKind;
        public nint Metric;
        public int Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        [MarshalAs(UnmanagedType.U1)] public bool Multi;
    }

    [DllImport(Lib)] public static extern nint usearch_version();
    [DllImport(Lib)] public static extern nint usearch_init(InitOptions* options, nint* error);
    [DllImport(Lib)] public static extern void usearch_free(nint index, nint* error);
    [DllImport(Lib)] public static extern nuint usearch_size(nint index, nint* error);
    [DllImport(Lib)] public static extern nuint usearch_dimensions(nint index, nint* error);
    [DllImport(Lib)] public static extern nuint usearch_connectivity(nint index, nint* error);
    [DllImport(Lib)] public static extern void usearch_reserve(nint index, nuint capacity, nint* error);
    [DllImport(Lib)] public static extern void usearch_change_expansion_search(nint index, nuint expansion, nint* error);
    [DllImport(Lib)] public static extern void usearch_change_threads_add(nint index, nuint threads, nint* error);
    [DllImport(Lib)] public static extern void usearch_change_threads_search(nint index, nuint threads, nint* error);
    [DllImport(Lib)] public static extern void usearch_add(nint index, ulong key, float* vector, int kind, nint* error);
    [DllImport(Lib)] public static extern nuint usearch_search(nint index, float* query, int kind, nuint count, ulong* keys, float* distances, nint* error);
    [DllImport(Lib)]
    public static extern nuint usearch_filtered_search(nint index, float* query, int kind, nuint count,
        delegate* unmanaged[Cdecl]<ulong, void*, int> filter, void* state, ulong* keys, float* distances, nint* error);
    [DllImport(Lib)] public static extern nuint usearch_serialized_length(nint index, nint* error);
    [DllImport(Lib)] public static extern void usearch_save_buffer(nint index, byte* buffer, nuint length, nint* error);
    [DllImport(Lib)] public static extern void usearch_load_buffer(nint index, byte* buffer, nuint length, nint* error);

    /// <summary>The library's version string, e.g. "2.26.6".</summary>
    public static string LibraryVersion => Marshal.PtrToStringUTF8(usearch_version()) ?? "unknown";

    /// <summary>Throws when a call left an error message.</summary>
    public static void Check(nint error, string call)
    {
        if (error != 0) throw new InvalidOperationException($"USearch {call} failed: {Marshal.PtrToStringUTF8(error)}");
    }
}
