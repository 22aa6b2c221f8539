using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recsys.Data;
using Spectre.Console;

namespace Recsys.Cli.Commands;

/// <summary>Prints <see cref="DatasetStats"/> as a Spectre.Console table or as one JSON object.</summary>
public static class DataPrinter
{
    /// <summary>The JSON object of <c>recsys data info --json</c> (keys: name, users, items, train, valid, test, interactions, density, kg, attributes).</summary>
    public static JsonObject ToJson(DatasetStats s, string? folder = null)
    {
        var o = new JsonObject
        {
            ["name"] = s.Name,
            ["users"] = s.Users,
            ["items"] = s.Items,
            ["train"] = s.Train,
            ["valid"] = s.Valid ?? 0,
            ["test"] = s.Test,
            ["interactions"] = s.Interactions,
            ["density"] = s.Density,
            ["kg"] = s.KgTriples is null ? null : new JsonObject
            {
                ["entities"] = s.KgEntities, ["relations"] = s.KgRelations, ["triples"] = s.KgTriples,
            },
            ["attributes"] = s.AttributePairs is null ? null : new JsonObject
            {
                ["names"] = s.AttributeNames, ["pairs"] = s.AttributePairs,
            },
        };
        if (folder is not null) o["path"] = Path.GetFullPath(folder);
        return o;
    }

    public static void Print(DatasetStats s, TextWriter output, bool json, string? folder = null)
    {
        if (json)
        {
            output.WriteLine(ToJson(s, folder).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return;
        }
        var console = CliConsole.For(output);
        var t = new Table().Title($"dataset [bold]{Markup.Escape(s.Name)}[/]").AddColumn("").AddColumn(new TableColumn("count").RightAligned());
        void Row(string k, string v) => t.AddRow(k, v);
        Row("users", N(s.Users));
        Row("items", N(s.Items));
        Row("train", N(s.Train));
        if (s.Valid is { } v) Row("valid", N(v));
        Row("test", N(s.Test));
        Row("interactions", N(s.Interactions));
        Row("density", s.Density.ToString("0.000000", CultureInfo.InvariantCulture));
        if (s.KgTriples is { } kt)
        {
            Row("kg entities", N(s.KgEntities!.Value));
            Row("kg relations", N(s.KgRelations!.Value));
            Row("kg triples", N(kt));
        }
        if (s.AttributePairs is { } ap)
        {
            Row("attributes", N(s.AttributeNames!.Value));
            Row("item-attribute pairs", N(ap));
        }
        console.Write(t);
        if (folder is not null) output.WriteLine($"folder: {Path.GetFullPath(folder)}");
    }

    private static string N(int v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
