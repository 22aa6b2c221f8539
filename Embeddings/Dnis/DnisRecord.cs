using System.Text.Json;
using Recsys.Catalog;

namespace Recsys.Embeddings.Dnis;

/// <summary>
/// What a DNIS search found for one table, written to <c>dnis.json</c> in the run folder (<see cref="DnisTraining"/>):
/// the frequency blocks, α and the α-scaled magnitudes it ranked, the kept columns per block and the parameter counts.
/// </summary>
/// <param name="Side">"users" or "items".</param>
/// <param name="Fractions">Share of the ids per block.</param>
/// <param name="BlockSizes">Ids per block, most frequent block first.</param>
/// <param name="Dim">Width before pruning.</param>
/// <param name="Alpha">α after the search, [S][Dim].</param>
/// <param name="Scores">α-scaled mean magnitudes, [S][Dim].</param>
/// <param name="Kept">Columns each block keeps.</param>
/// <param name="Budget">The budget fraction, or null when pruned by threshold.</param>
/// <param name="Threshold">The threshold, or null when pruned to a budget.</param>
/// <param name="FullParameters">Count × Dim.</param>
/// <param name="KeptParameters">Σ_b n_b · |kept_b|.</param>
public sealed record DnisSideRecord(string Side, IReadOnlyList<double> Fractions, IReadOnlyList<int> BlockSizes, int Dim,
    IReadOnlyList<float[]> Alpha, IReadOnlyList<float[]> Scores, IReadOnlyList<int[]> Kept, double? Budget, double? Threshold,
    long FullParameters, long KeptParameters)
{
    /// <summary>Kept width per block.</summary>
    public int[] Widths => Kept.Select(k => k.Length).ToArray();
}

/// <summary>The <c>dnis.json</c> of a run: one <see cref="DnisSideRecord"/> per searched table, and the search run's folder.</summary>
/// <param name="SearchRun">Folder of the search run (relative to the run folder).</param>
/// <param name="SearchEpochs">Epochs of the search (warm start included).</param>
/// <param name="Tables">One record per searched side.</param>
/// <param name="Retrained">True when the pruned model trained from a fresh initialisation for all the run's epochs
/// (<c>--retrain</c>), not from the search's weights for the epochs the search left.</param>
public sealed record DnisRecord(string SearchRun, int SearchEpochs, IReadOnlyList<DnisSideRecord> Tables, bool Retrained = false)
{
    public const string FileName = "dnis.json";

    /// <summary>Reads <c>RUN/dnis.json</c>; a clear error when the run was not trained with a DNIS table.</summary>
    public static DnisRecord Read(string runDir)
    {
        var file = Path.Combine(runDir, FileName);
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: not found — the run was not trained with a DNIS table (--user-table/--item-table dnis).", file);
        try { return JsonSerializer.Deserialize<DnisRecord>(File.ReadAllText(file), RecordJson.Base) ?? throw new InvalidDataException($"{file}: empty."); }
        catch (JsonException e) { throw new Data.DataFormatException(file, (int)(e.LineNumber ?? 0) + 1, e.Path, e.Message); }
    }

    public void Write(string runDir) => Recsys.IO.AtomicFile.WriteAllText(Path.Combine(runDir, FileName), JsonSerializer.Serialize(this, RecordJson.Base));
}
