using System.Text.Json;
using System.Text.Json.Nodes;
using Recsys.IO;

namespace Recsys.Data;

/// <summary>
/// Reads and writes the dataset folder of DESIGN.md: <c>dataset.json</c> plus Arrow IPC files
/// (<c>train/valid/test.arrow</c>: user:int32, item:int32[, timestamp:int64][, weight:float32];
/// <c>users.arrow</c>/<c>items.arrow</c>: id:int32, raw:utf8; <c>kg.arrow</c>: head, relation, tail:int32 with
/// <c>relations.arrow</c>: id, name; <c>item_attributes.arrow</c>: item, attribute:int32 with <c>attributes.arrow</c>: id, name;
/// <c>item_features.arrow</c>: item:int32, features:fixed_size_list&lt;float32&gt;[d], every item exactly once, written
/// in item order and read in any order).
/// Writing builds the folder under a temporary name and renames it at the end.
/// </summary>
public static class DatasetFolder
{
    public const string ManifestFile = "dataset.json";
    public const string FormatTag = "recsys-dataset/1";
    public const string ItemFeaturesFile = "item_features.arrow";

    public static void Write(Dataset d, string folder, bool overwrite = false)
    {
        d.Validate();
        AtomicFile.WriteFolder(folder, tmp => WriteInto(d, tmp), overwrite);
    }

    private static void WriteInto(Dataset d, string dir)
    {
        var files = new JsonObject();
        var counts = new JsonObject();
        void Split(string name, Interactions? x)
        {
            if (x is null) return;
            var cols = new List<(string, Apache.Arrow.IArrowArray)>
            {
                ("user", ArrowWriter.Int32Column(x.Users)),
                ("item", ArrowWriter.Int32Column(x.Items)),
            };
            if (x.Timestamps is not null) cols.Add(("timestamp", ArrowWriter.Int64Column(x.Timestamps)));
            if (x.Weights is not null) cols.Add(("weight", ArrowWriter.FloatColumn(x.Weights)));
            ArrowWriter.Write(Path.Combine(dir, name + ".arrow"), cols.ToArray());
            files[name] = name + ".arrow";
            counts[name] = x.Count;
        }
        Split("train", d.Train);
        Split("valid", d.Valid);
        Split("test", d.Test);
        void Names(string name, IReadOnlyList<string>? raw)
        {
            if (raw is null) return;
            ArrowWriter.Write(Path.Combine(dir, name + ".arrow"),
                ("id", ArrowWriter.Int32Column(Enumerable.Range(0, raw.Count).ToArray())),
                ("raw", ArrowWriter.StringColumn(raw)));
            files[name] = name + ".arrow";
        }
        Names("users", d.UserRawIds);
        Names("items", d.ItemRawIds);
        var manifest = new JsonObject
        {
            ["format"] = FormatTag,
            ["name"] = d.Name,
            ["users"] = d.NumUsers,
            ["items"] = d.NumItems,
            ["interactions"] = counts,
        };
        if (d.Knowledge is { } kg)
        {
            ArrowWriter.Write(Path.Combine(dir, "kg.arrow"),
                ("head", ArrowWriter.Int32Column(kg.Heads)),
                ("relation", ArrowWriter.Int32Column(kg.Relations)),
                ("tail", ArrowWriter.Int32Column(kg.Tails)));
            ArrowWriter.Write(Path.Combine(dir, "relations.arrow"),
                ("id", ArrowWriter.Int32Column(Enumerable.Range(0, kg.NumRelations).ToArray())),
                ("name", ArrowWriter.StringColumn(kg.RelationNames)));
            files["kg"] = "kg.arrow";
            files["relations"] = "relations.arrow";
            manifest["kg"] = new JsonObject { ["entities"] = kg.NumEntities, ["relations"] = kg.NumRelations, ["triples"] = kg.Count };
        }
        if (d.Attributes is { } at)
        {
            ArrowWriter.Write(Path.Combine(dir, "item_attributes.arrow"),
                ("item", ArrowWriter.Int32Column(at.Items)),
                ("attribute", ArrowWriter.Int32Column(at.Attributes)));
            ArrowWriter.Write(Path.Combine(dir, "attributes.arrow"),
                ("id", ArrowWriter.Int32Column(Enumerable.Range(0, at.Names.Length).ToArray())),
                ("name", ArrowWriter.StringColumn(at.Names)));
            files["item_attributes"] = "item_attributes.arrow";
            files["attributes"] = "attributes.arrow";
            manifest["attributes"] = new JsonObject { ["names"] = at.Names.Length, ["pairs"] = at.Count };
        }
        if (d.ItemFeatures is { } ft)
        {
            ArrowWriter.Write(Path.Combine(dir, ItemFeaturesFile),
                ("item", ArrowWriter.Int32Column(Enumerable.Range(0, ft.NumItems).ToArray())),
                ("features", ArrowWriter.FloatVectorColumn(ft.Values, ft.Dim)));
            files["item_features"] = ItemFeaturesFile;
            manifest["item_features"] = new JsonObject { ["items"] = ft.NumItems, ["dim"] = ft.Dim };
        }
        manifest["files"] = files;
        var prov = new JsonObject();
        foreach (var (k, v) in d.Provenance) prov[k] = v;
        manifest["provenance"] = prov;
        File.WriteAllText(Path.Combine(dir, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static Dataset Read(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: dataset folder not found.");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{manifestPath}: not a dataset folder (no {ManifestFile}).", manifestPath);
        JsonObject m;
        try { m = JsonNode.Parse(File.ReadAllText(manifestPath))?.AsObject() ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new DataFormatException(manifestPath, 0, null, $"invalid JSON ({e.Message}).", e); }
        int Req(string key) => m[key]?.GetValue<int>() ?? throw new DataFormatException(manifestPath, 0, key, "missing.");
        string name = m["name"]?.GetValue<string>() ?? Path.GetFileName(Path.GetFullPath(folder));
        int users = Req("users"), items = Req("items");
        var files = m["files"]?.AsObject() ?? throw new DataFormatException(manifestPath, 0, "files", "missing.");
        string? FileOf(string key) => files[key]?.GetValue<string>() is { } f ? Path.Combine(folder, f) : null;

        Interactions? Split(string key)
        {
            var f = FileOf(key);
            if (f is null) return null;
            using var t = ArrowTable.Open(f);
            return new Interactions(t.Int32("user"), t.Int32("item"),
                t.HasColumn("timestamp") ? t.Int64("timestamp") : null,
                t.HasColumn("weight") ? t.Float("weight") : null);
        }
        string[]? Raw(string key)
        {
            var f = FileOf(key);
            if (f is null) return null;
            using var t = ArrowTable.Open(f);
            return Ordered(t, "raw", f);
        }
        var train = Split("train") ?? throw new DataFormatException(manifestPath, 0, "files.train", "missing.");
        var test = Split("test") ?? Interactions.Empty;
        KnowledgeTriples? kg = null;
        if (FileOf("kg") is { } kgFile)
        {
            using var t = ArrowTable.Open(kgFile);
            string[] rel;
            if (FileOf("relations") is { } rf) { using var rt = ArrowTable.Open(rf); rel = Ordered(rt, "name", rf); }
            else rel = [];
            var h = t.Int32("head"); var r = t.Int32("relation"); var tl = t.Int32("tail");
            int ent = m["kg"]?["entities"]?.GetValue<int>() ?? Math.Max(items, Math.Max(MaxPlus1(h), MaxPlus1(tl)));
            if (rel.Length == 0) rel = Enumerable.Range(0, MaxPlus1(r)).Select(i => i.ToString()).ToArray();
            kg = new KnowledgeTriples(h, r, tl, ent, rel);
        }
        ItemAttributes? attrs = null;
        if (FileOf("item_attributes") is { } af)
        {
            using var t = ArrowTable.Open(af);
            string[] names = [];
            if (FileOf("attributes") is { } nf) { using var nt = ArrowTable.Open(nf); names = Ordered(nt, "name", nf); }
            attrs = new ItemAttributes(t.Int32("item"), t.Int32("attribute"), names);
        }
        ItemFeatures? features = FileOf("item_features") is { } ff ? ReadItemFeatures(ff, items) : null;
        var prov = new Dictionary<string, string>();
        if (m["provenance"] is JsonObject p)
            foreach (var (k, v) in p) prov[k] = v?.ToString() ?? "";
        var d = new Dataset
        {
            Name = name, NumUsers = users, NumItems = items,
            Train = train, Valid = Split("valid"), Test = test,
            UserRawIds = Raw("users"), ItemRawIds = Raw("items"),
            Knowledge = kg, Attributes = attrs, ItemFeatures = features, Provenance = prov,
        };
        try { d.Validate(); }
        catch (InvalidDataException e) { throw new DataFormatException(folder, 0, null, e.Message, e); }
        return d;
    }

    /// <summary>Reads <c>item_features.arrow</c>: one row per item 0..numItems-1 in any order, finite values.</summary>
    private static ItemFeatures ReadItemFeatures(string file, int numItems)
    {
        using var t = ArrowTable.Open(file);
        if (t.RowCount != numItems)
            throw new DataFormatException(file, 0, null, $"has {t.RowCount} rows; expected one per item ({numItems}).");
        var ids = t.Int32("item");
        var rows = t.FloatVectors("features", out int dim);
        if (dim < 1) throw new DataFormatException(file, 0, "features", "feature dimension is 0.");
        bool ordered = true;
        for (int r = 0; r < ids.Length && ordered; r++) ordered = ids[r] == r;
        var values = ordered ? rows : new float[rows.Length];
        var seen = ordered ? null : new int[numItems];
        for (int r = 0; r < ids.Length; r++)
        {
            int item = ids[r];
            var row = rows.AsSpan(r * dim, dim);
            int bad = ItemFeatures.FirstNonFinite(row);
            if (bad >= 0)
                throw new DataFormatException(file, 0, "features", $"row {r} (item {item}), column {bad}: {row[bad]} is not a finite number.");
            if (seen is null) continue;
            if ((uint)item >= (uint)numItems)
                throw new DataFormatException(file, 0, "item", $"item {item} at row {r} is outside 0..{numItems - 1}.");
            if (seen[item] != 0)
                throw new DataFormatException(file, 0, "item", $"item {item} appears at rows {seen[item] - 1} and {r}; every item must appear exactly once.");
            seen[item] = r + 1;
            row.CopyTo(values.AsSpan(item * dim, dim));
        }
        return new ItemFeatures(numItems, dim, values);
    }

    private static string[] Ordered(ArrowTable t, string column, string file)
    {
        var ids = t.Int32("id");
        var names = t.Strings(column);
        var result = new string[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)ids.Length) throw new DataFormatException(file, 0, "id", $"id {ids[i]} at row {i} is outside 0..{ids.Length - 1}.");
            result[ids[i]] = names[i];
        }
        return result;
    }

    private static int MaxPlus1(int[] a) => a.Length == 0 ? 0 : a.Max() + 1;
}
