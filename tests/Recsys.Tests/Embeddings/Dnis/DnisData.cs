using Recsys.Data;
using Recsys.Embeddings.Dnis;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;

namespace Recsys.Tests.Embeddings.Dnis;

/// <summary>
/// Two communities (users 0..U/2-1 like items 0..I/2-1, the rest the other half), with item popularity skewed so
/// frequency blocks differ: each user has <c>perUser</c> training, one validation and one test item of its half.
/// </summary>
internal static class DnisData
{
    /// <summary>A DNIS table over a full one for the small tests: 4 equal blocks, 1 warm-up and 1 search epoch.</summary>
    public static DnisTableSpec Spec(double budget) =>
        new(new FullTableSpec()) { Fractions = FrequencyBlocks.Equal(4), WarmupEpochs = 1, SearchEpochs = 1, Budget = budget };

    public static Dataset Communities(int users = 24, int items = 20, int perUser = 6, ulong seed = 3)
    {
        var rng = new Xoshiro256(seed);
        var (tu, ti, vu, vi, su, si) = (new List<int>(), new List<int>(), new List<int>(), new List<int>(), new List<int>(), new List<int>());
        int half = items / 2;
        for (int u = 0; u < users; u++)
        {
            int lo = u < users / 2 ? 0 : half;
            var picked = new List<int>();
            while (picked.Count < perUser + 2)
            {
                // Skewed: low item numbers of a half are drawn more often.
                int i = lo + (int)(half * Math.Pow(rng.NextDouble(), 2));
                if (!picked.Contains(i)) picked.Add(i);
            }
            for (int k = 0; k < picked.Count; k++)
            {
                var (us, its) = k < perUser ? (tu, ti) : k == perUser ? (vu, vi) : (su, si);
                us.Add(u); its.Add(picked[k]);
            }
        }
        return new Dataset
        {
            Name = "dnis-communities", NumUsers = users, NumItems = items,
            Train = new Interactions(tu.ToArray(), ti.ToArray()), Valid = new Interactions(vu.ToArray(), vi.ToArray()),
            Test = new Interactions(su.ToArray(), si.ToArray()),
        };
    }

    public static ModelInputs Inputs(Dataset d) => ModelInputs.From(d);

    /// <summary>
    /// Writes <see cref="Communities"/> to a fresh folder and trains <paramref name="model"/> (dim 8, batch 16, validation
    /// every epoch) with a DNIS item table of 4 blocks (1 warm-up + 1 search epoch) through the CLI, plus
    /// <paramref name="extra"/> arguments; returns the temp folder, the data folder and the run folder.
    /// </summary>
    public static (string Dir, string Data, string Run) CliDnisRun(string model, int epochs, params string[] extra)
    {
        var dir = Infrastructure.TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        DatasetFolder.Write(Communities(), data);
        var run = Path.Combine(dir, "run");
        var r = Infrastructure.CliHarness.Run(["train", "--data", data, "--model", model, "--dim", "8", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--eval-every", "1", "--batch", "16", "--item-table", "dnis", "--dnis-blocks", "4", "--dnis-warmup", "1", "--dnis-search-epochs", "1", .. extra, "--out", run, "--json"]);
        Assert.True(r.Code == 0, r.Err + r.Out);
        return (dir, data, run);
    }
}
