using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Recsys.Data;

namespace Recsys.Training;

/// <summary>
/// Identifies the training data of a run: counts plus SHA-256 over the canonical training CSR
/// (user count, item count, row pointers, sorted item ids, little-endian int32), so reordering the input
/// rows does not change it but any changed interaction does.
/// </summary>
public sealed record DataFingerprint(string Name, int Users, int Items, int TrainInteractions, string TrainSha256)
{
    public static DataFingerprint Of(string name, InteractionMatrix train)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(BitConverter.GetBytes(train.NumUsers));
        h.AppendData(BitConverter.GetBytes(train.NumItems));
        h.AppendData(MemoryMarshal.AsBytes(train.RowPtr.AsSpan()));
        h.AppendData(MemoryMarshal.AsBytes(train.ColIdx.AsSpan()));
        return new DataFingerprint(name, train.NumUsers, train.NumItems, train.NonZeros, Convert.ToHexStringLower(h.GetHashAndReset()));
    }
}
