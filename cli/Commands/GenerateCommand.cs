using System.CommandLine;
using System.Text.Json.Nodes;
using Recsys.Data;
using Recsys.Data.Synthetic;

namespace Recsys.Cli.Commands;

/// <summary>
/// <c>recsys generate --out DIR [--users N --items N --communities N --interactions X --noise F --seed S --kg
/// --kg-only-fraction F --json]</c>: writes a seeded synthetic dataset folder (<see cref="SyntheticGenerator"/>).
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var d = new SyntheticOptions();
        var output = new Option<string>("--out") { Description = "Dataset folder to write.", Required = true };
        var users = new Option<int>("--users") { Description = "Number of users.", DefaultValueFactory = _ => d.Users };
        var items = new Option<int>("--items") { Description = "Number of items.", DefaultValueFactory = _ => d.Items };
        var communities = new Option<int>("--communities") { Description = "Latent user/item communities.", DefaultValueFactory = _ => d.Communities };
        var perUser = new Option<double>("--interactions") { Description = "Mean interactions per user.", DefaultValueFactory = _ => d.InteractionsPerUser };
        var noise = new Option<double>("--noise") { Description = "Fraction of interactions outside the user's community.", DefaultValueFactory = _ => d.NoiseFraction };
        var popularity = new Option<double>("--popularity-exponent") { Description = "Zipf exponent of item popularity within a community.", DefaultValueFactory = _ => d.PopularityExponent };
        var testRatio = new Option<double>("--test-ratio") { Description = "Per-user test fraction.", DefaultValueFactory = _ => d.TestRatio };
        var validRatio = new Option<double>("--valid-ratio") { Description = "Fraction of each user's training part moved to validation (0 = none).", DefaultValueFactory = _ => d.ValidRatio };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same dataset.", DefaultValueFactory = _ => d.Seed };
        var kg = new Option<bool>("--kg") { Description = "Also write an item knowledge graph (genre, artist, tag, artist_genre)." };
        var kgOnly = new Option<double>("--kg-only-fraction") { Description = "Fraction of test interactions on items unseen in training but linked by the KG (needs --kg).", DefaultValueFactory = _ => 0.0 };
        var attributes = new Option<bool>("--attributes") { Description = "Also write item attributes (each item's genre and artist, as genre-G / artist-A)." };
        var name = new Option<string>("--name") { Description = "Dataset name.", DefaultValueFactory = _ => d.Name };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty output folder." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };

        var cmd = new Command("generate", "Write a seeded synthetic dataset with planted communities (and optionally a knowledge graph).");
        foreach (var opt in new Option[] { output, users, items, communities, perUser, noise, popularity, testRatio, validRatio, seed, kg, kgOnly, attributes, name, force, json })
            cmd.Options.Add(opt);
        cmd.SetAction(pr =>
        {
            var options = d with
            {
                Name = pr.GetValue(name)!,
                Users = pr.GetValue(users),
                Items = pr.GetValue(items),
                Communities = pr.GetValue(communities),
                InteractionsPerUser = pr.GetValue(perUser),
                NoiseFraction = pr.GetValue(noise),
                PopularityExponent = pr.GetValue(popularity),
                TestRatio = pr.GetValue(testRatio),
                ValidRatio = pr.GetValue(validRatio),
                Seed = pr.GetValue(seed),
                WithKnowledgeGraph = pr.GetValue(kg),
                KgOnlyFraction = pr.GetValue(kgOnly),
                WithAttributes = pr.GetValue(attributes),
            };
            var folder = pr.GetValue(output)!;
            var data = SyntheticGenerator.GenerateWithTruth(options);
            DatasetFolder.Write(data.Dataset, folder, overwrite: pr.GetValue(force));
            var summary = Summary(data, folder);
            var outW = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) outW.WriteLine(summary.ToJsonString());
            else
            {
                var ds = data.Dataset;
                outW.WriteLine($"wrote {Path.GetFullPath(folder)}");
                outW.WriteLine($"  {ds.NumUsers:N0} users, {ds.NumItems:N0} items, {options.Communities} communities, seed {options.Seed}");
                outW.WriteLine($"  train {ds.Train.Count:N0}, valid {ds.Valid?.Count ?? 0:N0}, test {ds.Test.Count:N0} interactions");
                if (ds.Knowledge is { } k)
                    outW.WriteLine($"  knowledge graph: {k.NumEntities:N0} entities, {k.NumRelations} relations, {k.Count:N0} triples; {data.KgOnlyItems.Length} KG-only items");
            }
            return 0;
        });
        return cmd;
    }

    private static JsonObject Summary(SyntheticData data, string folder)
    {
        var ds = data.Dataset;
        return new JsonObject
        {
            ["path"] = Path.GetFullPath(folder),
            ["name"] = ds.Name,
            ["users"] = ds.NumUsers,
            ["items"] = ds.NumItems,
            ["train"] = ds.Train.Count,
            ["valid"] = ds.Valid?.Count ?? 0,
            ["test"] = ds.Test.Count,
            ["seed"] = int.Parse(ds.Provenance["seed"], System.Globalization.CultureInfo.InvariantCulture),
            ["kg"] = ds.Knowledge is not { } k ? null : new JsonObject
            {
                ["entities"] = k.NumEntities, ["relations"] = k.NumRelations, ["triples"] = k.Count,
                ["kgOnlyItems"] = data.KgOnlyItems.Length,
            },
        };
    }
}
