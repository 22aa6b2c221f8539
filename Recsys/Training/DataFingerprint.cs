using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Recsys.Data;
using Recsys.Models;

namespace Recsys.Training;

/// <summary>
/// Identifies the data of a run: counts plus SHA-256 over the canonical training CSR (user count, item count, row
/// pointers, sorted item ids, little-endian int32), so reordering the input rows does not change it but any changed
/// interaction does; the validation split is hashed the same way when there is one (null in older runs).
/// </summary>
public sealed record DataFingerprint(string Name, int Users, int Items, int TrainInteractions, string TrainSha256)
{
    /// <summary>SHA-256 of the validation split's CSR, or null when the data has none (or the run predates it).</summary>
    public string? ValidSha256 { get; init; }

    public static DataFingerprint Of(string name, InteractionMatrix train) =>
        new(name, train.NumUsers, train.NumItems, train.NonZeros, Hash(train));

    /// <summary>The fingerprint of a model's inputs: training and validation splits.</summary>
    public static DataFingerprint Of(ModelInputs inputs) =>
        Of(inputs.DataName, inputs.Train) with { ValidSha256 = inputs.Valid is { } v ? Hash(v) : null };

    /// <summary>Throws <see cref="InvalidDataException"/> naming what differs when <paramref name="now"/> is not the data this run was trained on.</summary>
    public void CheckSameData(DataFingerprint now, string run)
    {
        if (now.TrainSha256 != TrainSha256 || now.Users != Users || now.Items != Items)
            throw new InvalidDataException($"{run}: the run was trained on other data (training split sha256 {TrainSha256[..12]}…, these are {now.TrainSha256[..12]}…).");
        if (ValidSha256 is not null && now.ValidSha256 != ValidSha256)
            throw new InvalidDataException($"{run}: the validation split differs from the one the run was trained with (sha256 {ValidSha256[..12]}…, these are {(now.ValidSha256 is null ? "none" : now.ValidSha256[..12] + "…")}); early stopping would compare different metrics.");
    }

    private static string Hash(InteractionMatrix m)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(BitConverter.GetBytes(m.NumUsers));
        h.AppendData(BitConverter.GetBytes(m.NumItems));
        h.AppendData(MemoryMarshal.AsBytes(m.RowPtr.AsSpan()));
        h.AppendData(MemoryMarshal.AsBytes(m.ColIdx.AsSpan()));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}
