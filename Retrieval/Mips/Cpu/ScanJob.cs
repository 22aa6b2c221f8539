namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// Everything one scan of a query block over a range of item panels needs, as raw pointers into pinned or
/// native memory so the kernels stay free of bounds checks and managed indirections.
/// </summary>
internal unsafe struct ScanJob
{
    /// <summary>Queries per micro-block (register rows of the kernel).</summary>
    public const int MR = 8;
    /// <summary>Items per packed panel (register columns: two Vector512 of floats).</summary>
    public const int PW = 32;

    /// <summary>Packed queries [MicroBlocks][Dim][MR], zero-padded rows.</summary>
    public float* Queries;
    public int MicroBlocks;
    /// <summary>Valid queries in the block (the rest of the last micro-block is padding).</summary>
    public int Count;
    /// <summary>Global index of the block's first query (exclusion row).</summary>
    public int QueryBase;
    public int Dim;
    /// <summary>Packed items [panels][Dim][PW].</summary>
    public float* Panels;
    public int PanelFirst, PanelEnd, TilePanels;
    public int ItemCount;
    public int K;
    /// <summary>Per-query admission threshold [MicroBlocks·MR]: −∞ until the heap is full, then its root score; +∞ for padding rows.</summary>
    public float* Thr;
    /// <summary>Heaps [Count][K] and their sizes [Count].</summary>
    public float* HeapScores;
    public int* HeapIds;
    public int* HeapSizes;
    /// <summary>Scores of the current micro-tile [MR][PW] and its per-query hit masks [MR].</summary>
    public float* Scratch;
    public uint* Masks;
}
