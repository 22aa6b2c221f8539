using System.CommandLine;
using Recsys.Data;
using Recsys.Data.Splits;
using Recsys.IO;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys data split DIR --method random|leave-one-out|temporal ... --out DIR</c>: pools all interactions of a
/// dataset folder and splits them again.
/// </summary>
public static class DataSplitCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Input dataset folder." };
        var method = new Option<string?>("--method") { Description = "random | leave-one-out | temporal (required unless --cold-items alone keeps the current split)." };
        var coldItems = new Option<double?>("--cold-items") { Description = "Then remove this share of the items (seeded by --seed) from train and validation, keeping their test interactions." };
        var testRatio = new Option<double>("--test-ratio") { Description = "random: share of each user's interactions for test.", DefaultValueFactory = _ => 0.2 };
        var validRatio = new Option<double>("--valid-ratio") { Description = "random/temporal: share for validation; leave-one-out: > 0 holds out one validation item.", DefaultValueFactory = _ => 0 };
        var valid = new Option<bool>("--valid") { Description = "leave-one-out: also hold out the second-latest item as validation." };
        var seed = new Option<int>("--seed") { Description = "random, --cold-items: RNG seed.", DefaultValueFactory = _ => 42 };
        var cutTime = new Option<long?>("--cut-time") { Description = "temporal: interactions with time <= T go to train." };
        var cutQuantile = new Option<double?>("--cut-quantile") { Description = "temporal: cut at this quantile of all timestamps (default 0.8 when no --cut-time)." };
        var output = new Option<string>("--out") { Description = "Output dataset folder.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder." };
        var json = new Option<bool>("--json") { Description = "Print the new dataset's counts as one JSON object." };
        var fromTrain = new Option<bool>("--valid-from-train") { Description = "Keep the test set fixed and carve a seeded random validation set (--valid-ratio of each user's train) out of train." };
        var cmd = new Command("split", "Re-split a dataset (train + valid + test pooled) into train / optional valid / test.");
        cmd.Arguments.Add(dir);
        foreach (var o in new Option[] { method, coldItems, testRatio, validRatio, valid, seed, cutTime, cutQuantile, output, force, json, fromTrain }) cmd.Options.Add(o);
        cmd.MapParameters(("Fraction", "--cold-items"));
        cmd.SetAction(pr =>
        {
            var outDir = pr.GetValue(output)!;
            OutputGuard.CheckFolder("--out", outDir, pr.GetValue(force), ("DIR", pr.GetValue(dir)));
            if (pr.GetValue(method) is null && pr.GetValue(coldItems) is null) throw new ArgumentException("--method is required (or --cold-items alone).");
            ISplitMethod? m = pr.GetValue(method) switch
            {
                null => null,
                "random" => new RandomSplit(new RandomSplitOptions { TestRatio = pr.GetValue(testRatio), ValidRatio = pr.GetValue(validRatio), Seed = pr.GetValue(seed) }),
                "leave-one-out" or "loo" => new LeaveOneOutSplit(new LeaveOneOutOptions { HoldOutValid = pr.GetValue(valid) || pr.GetValue(validRatio) > 0 }),
                "temporal" => new TemporalSplit(new TemporalSplitOptions
                {
                    CutTime = pr.GetValue(cutTime),
                    CutQuantile = pr.GetValue(cutTime) is null ? pr.GetValue(cutQuantile) ?? 0.8 : pr.GetValue(cutQuantile),
                    ValidRatio = pr.GetValue(validRatio),
                }),
                var other => throw new ArgumentException($"unknown split method '{other}'; expected random, leave-one-out or temporal."),
            };
            if (pr.GetValue(fromTrain) && pr.GetValue(method) != "random")
                throw new ArgumentException("--valid-from-train needs --method random.");
            var split = pr.GetValue(fromTrain)
                ? DatasetSplit.CarveValidation(DatasetFolder.Read(pr.GetValue(dir)!),
                    new RandomSplit(new RandomSplitOptions { TestRatio = pr.GetValue(validRatio), ValidRatio = 0, Seed = pr.GetValue(seed) }))
                : m is null ? DatasetFolder.Read(pr.GetValue(dir)!) : DatasetSplit.Apply(DatasetFolder.Read(pr.GetValue(dir)!), m);
            if (pr.GetValue(coldItems) is { } share) split = ColdItemsSplit.Apply(split, new ColdItemsOptions { Fraction = share, Seed = pr.GetValue(seed) });
            DatasetFolder.Write(split, outDir, pr.GetValue(force));
            DataPrinter.Print(DatasetStats.Of(split), pr.InvocationConfiguration.Output, pr.GetValue(json), outDir);
            return 0;
        });
        return cmd;
    }
}
