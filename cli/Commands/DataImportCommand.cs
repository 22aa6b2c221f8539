using System.CommandLine;
using Recsys.Data;
using Recsys.Data.Import;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys data import --format lightgcn|kgat|kgcn|sequences|csv ... --out DIR [--force]</c>: parses raw files
/// with one library importer and writes the dataset folder atomically.
/// </summary>
public static class DataImportCommand
{
    public const string Formats = "lightgcn, kgat, kgcn, sequences, csv";

    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = $"Input format: {Formats}.", Required = true };
        var output = new Option<string>("--out") { Description = "Output dataset folder.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder." };
        var name = new Option<string?>("--name") { Description = "Dataset name (default: from the input path)." };
        var json = new Option<bool>("--json") { Description = "Print the dataset's counts as one JSON object." };
        var train = new Option<string?>("--train") { Description = "lightgcn/kgat: train.txt (lines 'user item item ...')." };
        var test = new Option<string?>("--test") { Description = "lightgcn/kgat: test.txt." };
        var kg = new Option<string?>("--kg") { Description = "kgat: kg_final.txt (lines 'head relation tail')." };
        var input = new Option<string?>("--input") { Description = "kgcn: folder with user_artists.dat, item_index2entity_id.txt, kg.txt; sequences/csv: the file." };
        var attributes = new Option<string?>("--attributes") { Description = "sequences: item_attributes.tsv (item_id, asin, names joined by '|')." };
        var seed = new Option<int>("--seed") { Description = "kgcn: seed of the per-user split.", DefaultValueFactory = _ => 42 };
        var testRatio = new Option<double>("--test-ratio") { Description = "kgcn: share of each user's interactions for test.", DefaultValueFactory = _ => 0.2 };
        var userCol = new Option<string?>("--user-col") { Description = "csv: user column (header name, or 0-based index with --no-header)." };
        var itemCol = new Option<string?>("--item-col") { Description = "csv: item column." };
        var ratingCol = new Option<string?>("--rating-col") { Description = "csv: rating column (stored as weight)." };
        var minRating = new Option<double?>("--min-rating") { Description = "csv: keep rows with rating >= X." };
        var timeCol = new Option<string?>("--time-col") { Description = "csv: time column (integer or ISO date)." };
        var delimiter = new Option<string>("--delimiter") { Description = "csv: field delimiter (one character, or 'tab').", DefaultValueFactory = _ => "," };
        var noHeader = new Option<bool>("--no-header") { Description = "csv: the file has no header line; columns are 0-based indices." };

        var cmd = new Command("import", "Import raw files into a dataset folder (Arrow IPC + dataset.json).");
        cmd.MapParameters(("TrainFile", "--train"), ("TestFile", "--test"), ("KgFile", "--kg"), ("InputFile", "--input"), ("InputFolder", "--input"),
            ("AttributesFile", "--attributes"), ("UserColumn", "--user-col"), ("ItemColumn", "--item-col"), ("RatingColumn", "--rating-col"), ("TimeColumn", "--time-col"));
        foreach (var o in new Option[] { format, output, force, name, json, train, test, kg, input, attributes, seed, testRatio,
                     userCol, itemCol, ratingCol, minRating, timeCol, delimiter, noHeader })
            cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            string fmt = pr.GetValue(format)!;
            var outDir = pr.GetValue(output)!;
            OutputGuard.CheckFolder("--out", outDir, pr.GetValue(force), ("--train", pr.GetValue(train)), ("--test", pr.GetValue(test)),
                ("--kg", pr.GetValue(kg)), ("--input", pr.GetValue(input)), ("--attributes", pr.GetValue(attributes)));
            string? nm = pr.GetValue(name);
            Dataset d = fmt switch
            {
                "lightgcn" => LightGcnImporter.Import(new LightGcnImportOptions
                {
                    TrainFile = Need(pr.GetValue(train), "--train", fmt), TestFile = Need(pr.GetValue(test), "--test", fmt), Name = nm,
                }),
                "kgat" => KgatImporter.Import(new KgatImportOptions
                {
                    TrainFile = Need(pr.GetValue(train), "--train", fmt), TestFile = Need(pr.GetValue(test), "--test", fmt),
                    KgFile = Need(pr.GetValue(kg), "--kg", fmt), Name = nm,
                }),
                "kgcn" => KgcnImporter.Import(new KgcnImportOptions
                {
                    InputFolder = Need(pr.GetValue(input), "--input", fmt), Seed = pr.GetValue(seed), TestRatio = pr.GetValue(testRatio), Name = nm,
                }),
                "sequences" => SequenceImporter.Import(new SequenceImportOptions
                {
                    InputFile = Need(pr.GetValue(input), "--input", fmt), AttributesFile = pr.GetValue(attributes), Name = nm,
                }),
                "csv" => CsvImporter.Import(new CsvImportOptions
                {
                    InputFile = Need(pr.GetValue(input), "--input", fmt),
                    UserColumn = Need(pr.GetValue(userCol), "--user-col", fmt), ItemColumn = Need(pr.GetValue(itemCol), "--item-col", fmt),
                    RatingColumn = pr.GetValue(ratingCol), MinRating = pr.GetValue(minRating), TimeColumn = pr.GetValue(timeCol),
                    Delimiter = Delimiter(pr.GetValue(delimiter)!), HasHeader = !pr.GetValue(noHeader), Name = nm,
                }),
                _ => throw new ArgumentException($"unknown format '{fmt}'; expected one of: {Formats}."),
            };
            DatasetFolder.Write(d, outDir, pr.GetValue(force));
            bool asJson = pr.GetValue(json);
            DataPrinter.Print(DatasetStats.Of(d), pr.InvocationConfiguration.Output, asJson, outDir);
            if (fmt == "csv" && !asJson)
                pr.InvocationConfiguration.Output.WriteLine($"All interactions are in train; run `recsys data split {outDir} --method random --out DIR` to hold out a test set.");
            return 0;
        });
        return cmd;
    }

    private static string Need(string? value, string option, string format) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{option} is required for --format {format}.") : value;

    private static char Delimiter(string s) => s switch
    {
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } => s[0],
        _ => throw new ArgumentException($"--delimiter must be one character or 'tab', got '{s}'."),
    };
}
