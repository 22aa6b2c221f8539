namespace Recsys.Data.Import;

/// <summary>Options for <see cref="KgatImporter"/>: the train/test lists and <c>kg_final.txt</c> of the KGAT release.</summary>
public sealed record KgatImportOptions
{
    public required string TrainFile { get; init; }
    public required string TestFile { get; init; }
    public required string KgFile { get; init; }
    public string? Name { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TrainFile)) throw new ArgumentException("a train file is required.", nameof(TrainFile));
        if (string.IsNullOrWhiteSpace(TestFile)) throw new ArgumentException("a test file is required.", nameof(TestFile));
        if (string.IsNullOrWhiteSpace(KgFile)) throw new ArgumentException("a knowledge-graph file is required.", nameof(KgFile));
    }
}

/// <summary>
/// Imports the KGAT layout (Wang et al. KDD 2019): <c>train.txt</c> / <c>test.txt</c> as in LightGCN plus
/// <c>kg_final.txt</c> lines <c>head relation tail</c> (integers). Items are the first entity ids, so item i is entity i;
/// NumEntities = max(entity id) + 1, at least NumItems. Relation names are the relation ids as text. User, item, entity
/// and relation ids obey the <see cref="DenseIds"/> limit; a repeated pair or triple is an error.
/// </summary>
public static class KgatImporter
{
    public static Dataset Import(KgatImportOptions o)
    {
        o.Validate();
        var train = UserItemLists.Read(TextSource.Open(o.TrainFile, "train"));
        var test = UserItemLists.Read(TextSource.Open(o.TestFile, "test"));
        var (numUsers, numItems) = LightGcnImporter.CheckIds(train, test);
        PairChecks.RequireUnique(train, test);
        var kg = KnowledgeGraphReader.ReadIntegerTriples(TextSource.Open(o.KgFile, "knowledge graph"), numItems);
        return new Dataset
        {
            Name = o.Name ?? LightGcnImporter.DefaultName(o.TrainFile),
            NumUsers = numUsers,
            NumItems = numItems,
            Train = train.Rows,
            Test = test.Rows,
            Knowledge = kg,
            Provenance = new Dictionary<string, string>
            {
                ["importer"] = "kgat",
                ["train"] = Path.GetFullPath(o.TrainFile),
                ["test"] = Path.GetFullPath(o.TestFile),
                ["kg"] = Path.GetFullPath(o.KgFile),
            },
        };
    }
}
