using System.Runtime.InteropServices;

namespace Recsys.Graphs;

/// <summary>
/// Best-effort advice to Linux that a large, not yet touched buffer should be backed by 2 MB transparent huge pages
/// (madvise MADV_HUGEPAGE). First touch of fresh memory costs one page fault per 4 KB page; on the VMs Recsys was
/// measured on that was ~80–100 ms per 21 MB buffer, as much as a whole FastRP power, and huge pages cut it to a few ms.
/// Does nothing on other systems, when the kernel's THP setting is "never", or when libc lacks madvise.
/// </summary>
public static unsafe class HugePages
{
    /// <summary>Size of a huge page (x86-64 and most arm64 kernels).</summary>
    public const int Size = 2 << 20;

    private const int MadvHugePage = 14;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* addr, nuint length, int advice);

    /// <summary>Advises the whole huge pages inside [p, p + bytes); the partial pages at either end are left alone.</summary>
    public static void Advise(void* p, long bytes)
    {
        if (_unavailable || bytes < Size) return;
        long start = ((long)p + Size - 1) & ~(long)(Size - 1);
        long end = ((long)p + bytes) & ~(long)(Size - 1);
        if (end <= start) return;
        try { Madvise((void*)start, (nuint)(end - start), MadvHugePage); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { _unavailable = true; }
    }

    /// <summary>Advises the interior of a freshly allocated array (call before its first write, e.g. after GC.AllocateUninitializedArray).</summary>
    public static void Advise(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        fixed (float* p = array) Advise(p, (long)array.Length * sizeof(float));
    }
}
