namespace Recsys.Retrieval.Mips.Cpu;

/// <summary>
/// One int8 first-pass scan of a query block over a range of item panels (see <see cref="Int8ScanKernels"/>), as raw
/// pointers into native or pinned memory so the kernels stay free of bounds checks.
/// </summary>
internal unsafe struct Int8ScanJob
{
    /// <summary>Packed queries [MicroBlocks][Groups][MR][4] (signed).</summary>
    public sbyte* Queries;
    public int MicroBlocks;
    /// <summary>Valid queries in the block (the rest of the last micro-block is padding).</summary>
    public int Count;
    /// <summary>Global index of the block's first query (exclusion row).</summary>
    public int QueryBase;
    /// <summary>Groups of four dimensions (padded dimension / 4).</summary>
    public int Groups;
    /// <summary>Packed items [panels][Groups][PW][4] (unsigned, offset by 128) and their accumulator start values [panels·PW] (int.MinValue for padding items).</summary>
    public byte* Panels;
    public int* Start;
    public int PanelFirst, PanelEnd, TilePanels;
    /// <summary>Per-query admission threshold [MicroBlocks·MR]: int.MinValue until a buffer is first cut, then the worst kept score; int.MaxValue for padding rows.</summary>
    public int* ThrI;
    /// <summary>Candidate buffers: integer scores and ids [Count][Stride], fill counts [Count], and how many leading entries are already exclusion-checked [Count].</summary>
    public int* Scores;
    public int* Ids;
    public int* Sizes;
    public int* Clean;
    /// <summary>Candidates each query keeps (k · over-fetch, at most the item count), the fill that triggers a cut, and the buffer stride (Limit + one panel).</summary>
    public int Capacity, Limit, Stride;
    /// <summary>Selection scratch [Stride] (see <see cref="CandidateBuffer"/>).</summary>
    public long* Keys;
    /// <summary>Integer scores of the current micro-tile [MR][PW].</summary>
    public int* Scratch;
}
