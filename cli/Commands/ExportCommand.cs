using System.CommandLine;
using Recsys.Catalog;
using Recsys.Data;
using Recsys.IO;
using Recsys.Retrieval.Recommenders;

namespace Recsys.Cli.Commands;

/// <summary><c>recsys export --run RUN --data DIR --out DIR [--force]</c>: a trained run's embeddings, raw ids and seen items as .npy/.txt for Python.</summary>
public static class ExportCommand
{
    public static Command Create(RecsysCatalog catalog)
    {
        var run = new Option<string>("--run") { Description = "Run folder (recsys train).", Required = true };
        var data = new Option<string>("--data") { Description = "The run's dataset folder.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write (item_embeddings.npy, user_embeddings.npy, items.txt, users.txt, seen_indptr.npy, seen_indices.npy).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out folder." };
        var cmd = new Command("export", "Write a run's embeddings (float32 .npy), raw ids (.txt) and each user's seen items (CSR .npy) for numpy users.");
        foreach (var o in new Option[] { run, data, output, force }) cmd.Options.Add(o);
        cmd.SetAction(pr =>
        {
            string outDir = pr.GetValue(output)!;
            OutputGuard.RefuseOverlap("--out", outDir, ("--run", pr.GetValue(run)), ("--data", pr.GetValue(data)));
            using var recommender = RunFolderRecommender.Load(pr.GetValue(run)!, DatasetFolder.Read(pr.GetValue(data)!), catalog);
            var files = RecommenderExport.Write(recommender, outDir, pr.GetValue(force));
            pr.InvocationConfiguration.Output.WriteLine($"wrote {string.Join(", ", files)} to {Path.GetFullPath(outDir)} ({recommender.NumItems} items × {recommender.Dim})");
            return 0;
        });
        return cmd;
    }
}
