namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// One int8 first-pass scan of a query block over a range of item panels (see <see cref="Int8ScanKernels"/>), as raw
/// pointers into native or pinned memory so the kernels stay free of bounds checks.
/// </summary>
internal unsafe struct Int8ScanJob
{
    /// <summary>Packed queries [MicroBlocks][Groups][MR][4] (unsigned, offset by 128).</summary>
    public byte* Queries;
    public int MicroBlocks;
    /// <summary>Valid queries in the block (the rest of the last micro-block is padding).</summary>
    public int Count;
    /// <summary>Global index of the block's first query (exclusion row).</summary>
    public int QueryBase;
    /// <summary>Groups of four dimensions (padded dimension / 4).</summary>
    public int Groups;
    /// <summary>Packed items [panels][Groups][PW][4] (signed) and their accumulator start values [panels·PW].</summary>
    public sbyte* Panels;
    public int* Start;
    public int PanelFirst, PanelEnd, TilePanels;
    public int ItemCount;
    /// <summary>Capacity of each query's candidate heap (k · over-fetch).</summary>
    public int Capacity;
    /// <summary>Per-query admission threshold as an integer [MicroBlocks·MR]: int.MinValue until the heap is full, then its root score; int.MaxValue for padding rows.</summary>
    public int* ThrI;
    /// <summary>Candidate heaps [Count][Capacity] (integer scores held as floats) and their sizes [Count].</summary>
    public float* HeapScores;
    public int* HeapIds;
    public int* HeapSizes;
    /// <summary>Integer scores of the current micro-tile [MR][PW] and its per-query hit masks [MR].</summary>
    public int* Scratch;
    public uint* Masks;
}
