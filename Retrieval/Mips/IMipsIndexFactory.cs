namespace Recsys.Retrieval.Mips;

/// <summary>
/// Builds an <see cref="IMipsIndex"/> over item vectors: the seam through which an index kind that
/// <see cref="MipsBackend"/> does not list (HNSW, a user's own) is used wherever an index is chosen
/// (<see cref="MipsIndexChoice.Factory"/>), without a central switch to edit.
/// </summary>
public interface IMipsIndexFactory
{
    /// <summary>Short name of the kind, e.g. "hnsw".</summary>
    string Name { get; }

    /// <summary>The index over row-major item vectors [items.Length / dim, dim].</summary>
    IMipsIndex Create(float[] items, int dim);
}
