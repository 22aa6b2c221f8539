using Recsys.Data;
using Recsys.IO;

namespace Recsys.Embeddings.SemanticIds.Features;

/// <summary>
/// Item vectors from a file: a trained run's <c>item_embeddings.arrow</c> (<c>id</c>, <c>embedding</c>), or a
/// float32 <c>.npy</c> [n, d] whose row r is item ids[r] — ids from an explicit int32 <c>.npy</c> file, else from the
/// <c>NAME.ids.npy</c> beside it, else row r is item r. Every item of the dataset needs exactly one row.
/// </summary>
public sealed class EmbeddingFileBlock(string path, string? idsPath = null) : IItemFeatureBlock
{
    public string Name => "file:" + Path.GetFileName(path);

    public float[] Build(Dataset data, out int dim)
    {
        ArgumentNullException.ThrowIfNull(data);
        var e = EmbeddingFile.ReadLabelled(path);
        var ids = e.Ids;
        if (idsPath is not null)
        {
            ids = NpyFile.ReadInt32(idsPath, out int rows, out int cols);
            if (cols != 1 || rows != e.Count) throw new DataFormatException(idsPath, 0, null, $"holds {rows} × {cols} ids; expected one id per row of {path} ({e.Count}).");
        }
        dim = e.Dim;
        int n = data.NumItems;
        if (e.Count != n) throw new DataFormatException(path, 0, null, $"has {e.Count} rows; the dataset '{data.Name}' has {n} items and each needs exactly one.");
        EmbeddingFile.RequireFinite(path, EmbeddingFile.EmbeddingColumn, e.Vectors, e.Dim, ids);
        var x = new float[(long)n * dim];
        var seen = new bool[n];
        for (int r = 0; r < ids.Length; r++)
        {
            int item = ids[r];
            if ((uint)item >= (uint)n) throw new DataFormatException(idsPath ?? path, r + 1, "id", $"item {item} is outside 0..{n - 1}.");
            if (seen[item]) throw new DataFormatException(idsPath ?? path, r + 1, "id", $"item {item} appears twice.");
            seen[item] = true;
            e.Vectors.AsSpan(r * dim, dim).CopyTo(x.AsSpan(item * dim, dim));
        }
        return x;
    }
}
