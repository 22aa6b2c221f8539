using System.Globalization;

namespace Recsys.IO;

/// <summary>
/// Embedding rows with the id each row belongs to: <see cref="Vectors"/> is row-major [Count, Dim], row r is node
/// <see cref="Ids"/>[r], whose id as written in the source file is <see cref="RawIds"/>[r] when the ids were strings.
/// Read and written by <see cref="EmbeddingFile.ReadLabelled"/> and <see cref="EmbeddingFile.WriteLabelled"/>.
/// </summary>
public sealed record LabelledEmbeddings(float[] Vectors, int Dim, int[] Ids, string[]? RawIds = null)
{
    public int Count => Ids.Length;

    /// <summary>The id of row <paramref name="r"/> as text (the raw id when there is one).</summary>
    public string IdText(int r) => RawIds?[r] ?? Ids[r].ToString(CultureInfo.InvariantCulture);
}
