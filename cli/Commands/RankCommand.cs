using System.CommandLine;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.Retrieval.Ranking;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys rank fit --run RUN --data DIR [--candidates 50] [--iterations 100] [--leaves 31] [--lr 0.1] [--max-users 0]</c>:
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
        var candidates = new Option<int>("--candidates") { Description = "First-stage candidates per user (training groups and serving).", DefaultValueFactory = _ => d.Candidates };
        var iterations = new Option<int>("--iterations") { Description = "Boosting rounds.", DefaultValueFactory = _ => d.Iterations };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => d.Leaves };
        var lr = new Option<double>("--lr") { Description = "LightGBM learning rate.", DefaultValueFactory = _ => d.LearningRate };
        var maxUsers = new Option<int>("--max-users") { Description = "Training users (0 = all).", DefaultValueFactory = _ => d.MaxUsers };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => d.Seed };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var cmd = new Command("fit", "LightGBM LambdaRank on training-time examples (each user's last training item held out; candidates from the run's first stage over the rest).");
        foreach (var o in new Option[] { data, run, candidates, iterations, leaves, lr, maxUsers, seed, json }) cmd.Options.Add(o);
        cmd.MapParameters(("Candidates", "--candidates"), ("Iterations", "--iterations"), ("Leaves", "--leaves"), ("LearningRate", "--lr"), ("MaxUsers", "--max-users"));
        cmd.SetAction(pr =>
        {
            var options = new LambdaRankOptions
            {
                Candidates = pr.GetValue(candidates), Iterations = pr.GetValue(iterations), Leaves = pr.GetValue(leaves),
                LearningRate = pr.GetValue(lr), MaxUsers = pr.GetValue(maxUsers), Seed = pr.GetValue(seed),
            };
            var info = RunRanker.Fit(pr.GetValue(run)!, DatasetFolder.Read(pr.GetValue(data)!), catalog, options);
            var w = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) w.WriteLine(CliJson.Serialize(info));
            else w.WriteLine($"ranker fitted on {info.Groups:N0} of {info.Users:N0} users ({info.Examples:N0} candidates; the others' held-out item was not among the {info.Candidates} candidates); written to {LightGbmRanker.ModelFileName} and {LightGbmRanker.InfoFileName}.");
            return 0;
        });
        return cmd;
    }
}
