using System.Text.Json;
using Recsys.Catalog;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Training;

/// <summary>
/// The contents of a run folder's <c>run.json</c> (DESIGN.md): what was trained on which data with which
/// options and seed, the loss and seconds of every epoch, the metrics of every evaluation, and how it ended.
/// </summary>
public sealed record RunRecord
{
    public const string FormatTag = "recsys-run/1";
    public string Format { get; init; } = FormatTag;
    public required ModelOptions Model { get; init; }
    public required TrainerOptions Trainer { get; init; }
    public required DataFingerprint Data { get; init; }
    /// <summary>Rows of the model's user and item tables as built; null in runs recorded before this field existed.</summary>
    public TableRows? Tables { get; set; }
    /// <summary>Trainable scalars of the whole model; null in runs recorded before this field existed.</summary>
    public long? Parameters { get; set; }
    /// <summary>The command line that started the run, when a CLI started it.</summary>
    public string? Command { get; set; }
    /// <summary>The device the run trained on, resolved: Cpu or Cuda() ("cpu" or "cuda" in run.json).</summary>
    public DeviceChoice Device { get; set; } = DeviceChoice.Cpu;
    /// <summary>Which split the evaluations scored ("valid" or "test"), null when nothing was evaluated.</summary>
    public string? EvaluatedSplit { get; set; }
    public string? PrimaryMetric { get; set; }
    public List<EpochRecord> Epochs { get; init; } = new();
    public List<EvaluationRecord> Evaluations { get; init; } = new();
    public int BestEpoch { get; set; }
    public double? BestValue { get; set; }
    /// <summary>One of <see cref="RunStatus"/>: "running", "completed", "early-stopped", "cancelled" or "diverged".</summary>
    public string Status { get; set; } = RunStatus.Running;
    /// <summary>Which epoch's weights model.bin and the embedding files hold.</summary>
    public int SavedEpoch { get; set; }

    /// <summary>run.json text; the model and table kinds are written under their names in <paramref name="catalog"/>.</summary>
    public string ToJson(RecsysCatalog catalog) => JsonSerializer.Serialize(this, catalog.Json);

    /// <summary>Reads run.json text; <paramref name="path"/> names the file in errors (unknown kinds, malformed JSON).</summary>
    public static RunRecord FromJson(string json, string path, RecsysCatalog catalog)
    {
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(json, catalog.Json) ?? throw new Data.DataFormatException(path, 0, null, "empty run record.");
        }
        catch (JsonException e)
        {
            throw new Data.DataFormatException(path, e.LineNumber is { } l ? l + 1 : 0, e.Path, Shorten(e.Message) +
                " (a model or table kind this program does not register, or a damaged file).");
        }
        catch (NotSupportedException e)
        {
            throw new Data.DataFormatException(path, 0, null, Shorten(e.Message));
        }
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

/// <summary>One finished epoch: mean training loss and wall seconds of its training steps.</summary>
public sealed record EpochRecord(int Epoch, double Loss, double Seconds);

/// <summary>Metrics of one evaluation after <see cref="Epoch"/> epochs, and how long it took.</summary>
public sealed record EvaluationRecord(int Epoch, Dictionary<string, double> Metrics, double Seconds);
