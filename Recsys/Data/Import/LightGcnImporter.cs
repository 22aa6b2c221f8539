namespace Recsys.Data.Import;

/// <summary>Options for <see cref="LightGcnImporter"/>: the two list files of the NGCF / LightGCN release.</summary>
public sealed record LightGcnImportOptions
{
    public required string TrainFile { get; init; }
    public required string TestFile { get; init; }
    /// <summary>Dataset name; defaults to the folder holding <see cref="TrainFile"/>.</summary>
    public string? Name { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TrainFile)) throw new ArgumentException("--train is required.", nameof(TrainFile));
        if (string.IsNullOrWhiteSpace(TestFile)) throw new ArgumentException("--test is required.", nameof(TestFile));
    }
}

/// <summary>
/// Imports the fixed train/test split of NGCF / LightGCN (Wang et al. SIGIR 2019; He et al. SIGIR 2020):
/// <c>train.txt</c> and <c>test.txt</c>, lines <c>user item item ...</c> with dense 0-based ids.
/// NumUsers / NumItems = largest id over both files + 1. Pairs repeated in a file or shared by both files are errors.
/// </summary>
public static class LightGcnImporter
{
    public static Dataset Import(LightGcnImportOptions o)
    {
        o.Validate();
        var train = UserItemLists.Read(TextSource.Open(o.TrainFile, "train"));
        var test = UserItemLists.Read(TextSource.Open(o.TestFile, "test"));
        PairChecks.RequireUnique(train, test);
        return new Dataset
        {
            Name = o.Name ?? DefaultName(o.TrainFile),
            NumUsers = Math.Max(train.MaxUser, test.MaxUser) + 1,
            NumItems = Math.Max(train.MaxItem, test.MaxItem) + 1,
            Train = train.Rows,
            Test = test.Rows,
            Provenance = new Dictionary<string, string>
            {
                ["importer"] = "lightgcn",
                ["train"] = Path.GetFullPath(o.TrainFile),
                ["test"] = Path.GetFullPath(o.TestFile),
            },
        };
    }

    /// <summary>The name of the folder that holds <paramref name="file"/> (e.g. "gowalla").</summary>
    internal static string DefaultName(string file) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) is { Length: > 0 } n ? n : "dataset";
}
