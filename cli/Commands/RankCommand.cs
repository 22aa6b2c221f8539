using System.CommandLine;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Retrieval.Ranking;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys rank fit --run RUN --data DIR [--examples valid|train] [--candidates 50] [--iterations 100] [--leaves 31] [--lr 0.1] [--max-users 0]</c>:
/// fits a LightGBM LambdaRank ranker over the run's candidates and writes <c>ranker.lgbm</c> + <c>ranker.json</c> into
/// the run folder, where eval, recommend and serve pick it up as the second stage.
/// </summary>
public static class RankCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var cmd = new Command("rank", "Second-stage rankers over a run's candidates.");
        cmd.Subcommands.Add(Fit(catalog));
        return cmd;
    }

    private static Command Fit(RecsysCatalog catalog)
    {
        var d = new LambdaRankOptions();
        var data = new Option<string>("--data") { Description = "The run's dataset folder.", Required = true };
        var run = new Option<string>("--run") { Description = "Run folder (recsys train): its model is the first stage; the ranker is written there.", Required = true };
        var examples = new Option<string>("--examples")
        {
            Description = "Training examples: valid = the validation split (context = the training history, label = the validation item; the default), "
                + "train = each user's last training item held out (for data without a validation split; the first stage was trained on that item).",
            DefaultValueFactory = _ => "valid",
        };
        examples.AcceptOnlyFromAmong("valid", "train");
        var candidates = new Option<int>("--candidates") { Description = "First-stage candidates per user (training groups and serving).", DefaultValueFactory = _ => d.Candidates };
        var iterations = new Option<int>("--iterations") { Description = "Boosting rounds.", DefaultValueFactory = _ => d.Iterations };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => d.Leaves };
        var lr = new Option<double>("--lr") { Description = "LightGBM learning rate.", DefaultValueFactory = _ => d.LearningRate };
        var maxUsers = new Option<int>("--max-users") { Description = "Training examples kept, the first by user id (0 = all).", DefaultValueFactory = _ => d.MaxUsers };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => d.Seed };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("fit", "LightGBM LambdaRank over the run's first-stage candidates, fitted on the validation split's candidates (or held-out training items); written into the run folder.");
        foreach (var o in new Option[] { data, run, examples, candidates, iterations, leaves, lr, maxUsers, seed, json }) cmd.Options.Add(o);
        cmd.MapParameters(("runDir", "--run"), ("Candidates", "--candidates"), ("Iterations", "--iterations"), ("Leaves", "--leaves"), ("LearningRate", "--lr"), ("MaxUsers", "--max-users"));
        cmd.SetAction(pr =>
        {
            var source = pr.GetValue(examples) == "train" ? RankerExampleSource.HeldOutTraining : RankerExampleSource.Validation;
            var dataset = DatasetFolder.Read(pr.GetValue(data)!);
            if (source == RankerExampleSource.Validation && dataset.Valid is not { Count: > 0 })
                throw new ArgumentException($"{pr.GetValue(data)} has no validation split to fit on; use --examples train (each user's last training item held out).", "--examples");
            var options = new LambdaRankOptions
            {
                Examples = source, Candidates = pr.GetValue(candidates), Iterations = pr.GetValue(iterations), Leaves = pr.GetValue(leaves),
                LearningRate = pr.GetValue(lr), MaxUsers = pr.GetValue(maxUsers), Seed = pr.GetValue(seed),
            };
            var info = RunRanker.Fit(pr.GetValue(run)!, dataset, catalog, options);
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) w.WriteLine(CliJson.Serialize(info));
            else w.WriteLine($"ranker fitted on {info.Groups:N0} of {info.Users:N0} users' {(source == RankerExampleSource.Validation ? "validation" : "held-out training")} items ({info.Examples:N0} candidates; the others' item was not among the {info.Candidates} candidates); written to {LightGbmRanker.ModelFileName} and {LightGbmRanker.InfoFileName}.");
            return 0;
        });
        return cmd;
    }
}
