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
        if (string.IsNullOrWhiteSpace(TrainFile)) throw new ArgumentException("a train file is required.", nameof(TrainFile));
        if (string.IsNullOrWhiteSpace(TestFile)) throw new ArgumentException("a test file is required.", nameof(TestFile));
    }
}

/// <summary>
/// Imports the fixed train/test split of NGCF / LightGCN (Wang et al. SIGIR 2019; He et al. SIGIR 2020):
/// <c>train.txt</c> and <c>test.txt</c>, lines <c>user item item ...</c> with dense 0-based ids.
/// NumUsers / NumItems = largest id over both files + 1, after the <see cref="DenseIds"/> limit (an id far beyond the
/// number of distinct ids is an error naming its file and line). Pairs repeated in a file or shared by both files are errors.
/// </summary>
public static class LightGcnImporter
{
    public static Dataset Import(LightGcnImportOptions o)
    {
        o.Validate();
        var train = UserItemLists.Read(TextSource.Open(o.TrainFile, "train"));
        var test = UserItemLists.Read(TextSource.Open(o.TestFile, "test"));
        var (numUsers, numItems) = CheckIds(train, test);
        PairChecks.RequireUnique(train, test);
        return new Dataset
        {
            Name = o.Name ?? DefaultName(o.TrainFile),
            NumUsers = numUsers,
            NumItems = numItems,
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

    /// <summary>User and item counts of two list files, after the <see cref="DenseIds"/> limit.</summary>
    internal static (int Users, int Items) CheckIds(ParsedInteractions train, ParsedInteractions test) =>
        (DenseIds.Check("user", 0, train.LineUsers!.Value, test.LineUsers!.Value) + 1,
         DenseIds.Check("item", 0, train.ItemIds, test.ItemIds) + 1);

    /// <summary>The name of the folder that holds <paramref name="file"/> (e.g. "gowalla").</summary>
    internal static string DefaultName(string file) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) is { Length: > 0 } n ? n : "dataset";
}
