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

    /// <summary>Largest <c>dataset.json</c> read (it holds counts, file names and provenance, never data).</summary>
    public const int MaxManifestBytes = 16 << 20;

    /// <summary>
    /// Reads a dataset folder. Every count in <c>dataset.json</c> is checked against the Arrow files before anything is
    /// sized by it: split row counts must match; users and items must cover every id and be justified by the files
    /// (no more than <c>2 × distinct ids + </c><see cref="Import.DenseIds.Slack"/>, unless <c>users.arrow</c> /
    /// <c>items.arrow</c> / <c>item_features.arrow</c> list them, which must then have exactly one row per id); the KG's
    /// entities and relations obey the same rule. Damaged files raise <see cref="DataFormatException"/> naming the file.
    /// </summary>
    public static Dataset Read(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: dataset folder not found.");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{manifestPath}: not a dataset folder (no {ManifestFile}).", manifestPath);
        if (new FileInfo(manifestPath).Length > MaxManifestBytes)
            throw new DataFormatException(manifestPath, 0, null, $"larger than {MaxManifestBytes >> 20} MiB; a manifest holds only counts and names.");
        try { return ReadChecked(folder, manifestPath); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException or KeyNotFoundException or ArgumentException)
        {
            // JsonNode's typed accessors throw these for a value of the wrong kind ("users": "many", "files": []),
            // and ArgumentException for a repeated property name.
            throw new DataFormatException(manifestPath, 0, null, $"unexpected content ({e.Message}).", e);
        }
    }

    private static Dataset ReadChecked(string folder, string manifestPath)
    {
        JsonObject m;
        try { m = JsonNode.Parse(File.ReadAllText(manifestPath))?.AsObject() ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new DataFormatException(manifestPath, 0, null, $"invalid JSON ({e.Message}).", e); }
        int Count(JsonNode? node, string key)
        {
            int v = node?.GetValue<int>() ?? throw new DataFormatException(manifestPath, 0, key, "missing.");
            return v >= 0 ? v : throw new DataFormatException(manifestPath, 0, key, $"{v} is negative.");
        }
        string name = m["name"]?.GetValue<string>() ?? Path.GetFileName(Path.GetFullPath(folder));
        int users = Count(m["users"], "users"), items = Count(m["items"], "items");
        var files = m["files"]?.AsObject() ?? throw new DataFormatException(manifestPath, 0, "files", "missing.");
        var counts = m["interactions"] as JsonObject;
        string? FileOf(string key)
        {
            if (files[key]?.GetValue<string>() is not { } f) return null;
            // Plain names only: a manifest must not point outside its folder.
            if (f.Length == 0 || f != Path.GetFileName(f) || f is "." or "..")
                throw new DataFormatException(manifestPath, 0, "files." + key, $"'{f}' is not a file name inside the dataset folder.");
            var path = Path.Combine(folder, f);
            return File.Exists(path) ? path : throw new DataFormatException(manifestPath, 0, "files." + key, $"lists '{f}', which does not exist.");
        }

        Interactions? Split(string key)
        {
            var f = FileOf(key);
            if (f is null) return null;
            using var t = ArrowTable.Open(f);
            var x = new Interactions(t.Int32("user"), t.Int32("item"),
                t.HasColumn("timestamp") ? t.Int64("timestamp") : null,
                t.HasColumn("weight") ? t.Float("weight") : null);
            if (x.Weights is { } w && ItemFeatures.FirstNonFinite(w) is var bad and >= 0)
                throw new DataFormatException(f, 0, "weight", $"row {bad}: {w[bad]} is not a finite number.");
            if (counts?[key] is { } claimed && Count(claimed, "interactions." + key) != x.Count)
                throw new DataFormatException(manifestPath, 0, "interactions." + key, $"{Count(claimed, key)} claimed, {f} holds {x.Count} rows.");
            return x;
        }
        string[]? Raw(string key, int expected)
        {
            var f = FileOf(key);
            if (f is null) return null;
            using var t = ArrowTable.Open(f);
            var raw = Ordered(t, "raw", f);
            if (raw.Length != expected)
                throw new DataFormatException(f, 0, null, $"lists {raw.Length} raw ids; {ManifestFile} says there are {expected}.");
            return raw;
        }
        var train = Split("train") ?? throw new DataFormatException(manifestPath, 0, "files.train", "missing.");
        var valid = Split("valid");
        var test = Split("test") ?? Interactions.Empty;
        var userRaw = Raw("users", users);
        var itemRaw = Raw("items", items);
        ItemFeatures? features = FileOf("item_features") is { } ff ? ReadItemFeatures(ff, items) : null;
        var parts = valid is null ? new[] { train, test } : new[] { train, valid, test };
        // Counts not backed by a file that lists every id must be justified by the ids the splits use.
        if (userRaw is null) CheckClaim(manifestPath, "users", users, parts.Select(p => p.Users));
        if (itemRaw is null && features is null) CheckClaim(manifestPath, "items", items, parts.Select(p => p.Items));
        // Ids beyond the claimed counts are caught by Validate below, before any consumer sizes arrays by them.

        KnowledgeTriples? kg = null;
        if (FileOf("kg") is { } kgFile)
        {
            using var t = ArrowTable.Open(kgFile);
            var h = t.Int32("head"); var r = t.Int32("relation"); var tl = t.Int32("tail");
            if (h.Length != r.Length || h.Length != tl.Length) throw new DataFormatException(kgFile, 0, null, "columns differ in length.");
            int maxEntity = Math.Max(items, Math.Max(MaxPlus1(h, kgFile, "head"), MaxPlus1(tl, kgFile, "tail")));
            int ent = m["kg"]?["entities"] is { } en ? Count(en, "kg.entities") : maxEntity;
            if (ent < maxEntity)
                throw new DataFormatException(manifestPath, 0, "kg.entities", $"{ent} entities claimed, but {kgFile} uses entity {maxEntity - 1} (or there are {items} items).");
            CheckClaim(manifestPath, "kg.entities", ent, [h, tl, Enumerable.Range(0, items).ToArray()]);
            string[] rel;
            if (FileOf("relations") is { } rf) { using var rt = ArrowTable.Open(rf); rel = Ordered(rt, "name", rf); }
            else
            {
                int numRelations = MaxPlus1(r, kgFile, "relation");
                CheckClaim(manifestPath, "relations", numRelations, [r]);
                rel = Enumerable.Range(0, numRelations).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            }
            for (int i = 0; i < r.Length; i++)
                if ((uint)r[i] >= (uint)rel.Length)
                    throw new DataFormatException(kgFile, 0, "relation", $"relation {r[i]} at row {i} is outside 0..{rel.Length - 1}.");
            kg = new KnowledgeTriples(h, r, tl, ent, rel);
        }
        ItemAttributes? attrs = null;
        if (FileOf("item_attributes") is { } af)
        {
            using var t = ArrowTable.Open(af);
            var ai = t.Int32("item"); var aa = t.Int32("attribute");
            string[] names;
            if (FileOf("attributes") is { } nf) { using var nt = ArrowTable.Open(nf); names = Ordered(nt, "name", nf); }
            else
            {
                int numNames = MaxPlus1(aa, af, "attribute");
                CheckClaim(manifestPath, "attributes", numNames, [aa]);
                names = Enumerable.Range(0, numNames).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            }
            for (int i = 0; i < ai.Length; i++)
            {
                if ((uint)ai[i] >= (uint)items) throw new DataFormatException(af, 0, "item", $"item {ai[i]} at row {i} is outside 0..{items - 1}.");
                if ((uint)aa[i] >= (uint)names.Length) throw new DataFormatException(af, 0, "attribute", $"attribute {aa[i]} at row {i} is outside 0..{names.Length - 1}.");
            }
            attrs = new ItemAttributes(ai, aa, names);
        }
        var prov = new Dictionary<string, string>();
        if (m["provenance"] is JsonObject p)
            foreach (var (k, v) in p) prov[k] = v?.ToString() ?? "";
        var d = new Dataset
        {
            Name = name, NumUsers = users, NumItems = items,
            Train = train, Valid = valid, Test = test,
            UserRawIds = userRaw, ItemRawIds = itemRaw,
            Knowledge = kg, Attributes = attrs, ItemFeatures = features, Provenance = prov,
        };
        try { d.Validate(); }
        catch (InvalidDataException e) { throw new DataFormatException(folder, 0, null, e.Message, e); }
        return d;
    }

    /// <summary>
    /// A count claimed without a file listing every id must stay below 2 × distinct ids used + <see cref="Import.DenseIds.Slack"/>
    /// (the importers' rule), so a manifest cannot make consumers allocate by an arbitrary number.
    /// </summary>
    private static void CheckClaim(string manifestPath, string key, int claimed, IEnumerable<int[]> idColumns)
    {
        if (claimed < Import.DenseIds.Slack) return;
        var columns = idColumns.ToList();
        long total = columns.Sum(c => (long)c.Length);
        long distinct = total;   // an upper bound: enough to reject without allocating by the claim
        if (claimed < 2 * total + Import.DenseIds.Slack)
        {
            var seen = new bool[claimed];   // bounded by the input size here
            distinct = 0;
            foreach (var c in columns)
                foreach (int id in c)
                    if ((uint)id < (uint)claimed && !seen[id]) { seen[id] = true; distinct++; }
        }
        if (claimed >= 2 * distinct + Import.DenseIds.Slack)
            throw new DataFormatException(manifestPath, 0, key,
                $"{claimed} claimed, but the files use at most {distinct} distinct ids; a count must stay below 2 × distinct ids + {Import.DenseIds.Slack} unless a file lists every id.");
    }

    /// <summary>Reads <c>item_features.arrow</c>: one row per item 0..numItems-1 in any order, finite values.</summary>
    public static ItemFeatures ReadItemFeatures(string file, int numItems)
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

    /// <summary>Largest id + 1 (0 for none); an id at the int32 limit has no count, so it is an error.</summary>
    private static int MaxPlus1(int[] a, string file, string column)
    {
        int max = a.Length == 0 ? -1 : a.Max();
        return max < int.MaxValue ? max + 1 : throw new DataFormatException(file, 0, column, $"id {max} is at the int32 limit.");
    }
}
