using Recsys.Training;
using Recsys.Data;
using Recsys.Tables;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The two-tower network. An item's input row x_i is its id row (the network's own table, or a registry table the model
/// holds: <see cref="SequentialItemTable"/>) plus the mean of its attribute rows (none: the id row
/// alone). The item tower is MLP_item(x_i); the user tower is MLP_user(Σ_j w_j x_{h_j} [+ the user's row]) over the
/// history's weighted items (<see cref="HistoryPooling"/>). Both are L2-normalised when the options say so. Item
/// inputs are shared by the two towers, so the history side also sees attributes. Tables are Glorot-uniform, drawn
/// from a generator seeded by the model (item table, user and item MLPs, then the attribute and user tables).
/// </summary>
public sealed class TwoTowerNetwork : nn.Module
{
    private readonly TwoTowerOptions _o;
    private readonly ItemAttributes? _attributes;
    private readonly long[] _pairItems = [], _pairAttributes = [];
    private readonly float[] _inverseCount = [];
    private readonly Dictionary<string, (Tensor Items, Tensor Attributes, Tensor Inverse)> _pairs = new();
    // Field names are checkpoint keys; the attribute and user tables exist only when used.
    private readonly Parameter? item_embedding;     // the default full table only; a registry table lives in the model
    // Not the table itself: RegisterComponents would register a module-valued field, and the model owns the table.
    private readonly SequenceItems? _itemTable;
    private readonly int _tableRows;
    private readonly long _tableParameters;
    private readonly Parameter? attribute_embedding;
    private readonly Parameter? user_embedding;
    private readonly TowerMlp user_tower;
    private readonly TowerMlp item_tower;

    /// <summary>
    /// A network over <paramref name="numItems"/> items and <paramref name="numUsers"/> users; attribute rows only when
    /// <see cref="TwoTowerOptions.Attributes"/> is on and <paramref name="attributes"/> has pairs. Its own id table
    /// unless <paramref name="itemTable"/> (a registry table over the items, owned and registered by the caller) is given.
    /// </summary>
    public TwoTowerNetwork(TwoTowerOptions o, int numItems, int numUsers, ItemAttributes? attributes, ulong seed, IEmbeddingTable? itemTable = null) : base("TwoTowerNetwork")
    {
        ArgumentNullException.ThrowIfNull(o);
        _o = o; _attributes = attributes; NumItems = numItems; NumUsers = numUsers;
        if (itemTable is not null) (_itemTable, _tableRows, _tableParameters) = (SequenceItems.Over(itemTable), itemTable.Rows, itemTable.Parameters);
        using var g = new Generator(seed, CPU);
        if (itemTable is null) item_embedding = new Parameter(SeededLayers.Glorot(numItems, o.Dim, g));
        // The optional tables are drawn last, so turning one on leaves every other initial weight as it was.
        user_tower = new TowerMlp(o.Dim, o.Layers, g);
        item_tower = new TowerMlp(o.Dim, o.Layers, g);
        if (o.Attributes && attributes is { Count: > 0 } a)
        {
            attribute_embedding = new Parameter(SeededLayers.Glorot(a.Names.Length, o.Dim, g));
            _pairItems = a.Items.Select(i => (long)i).ToArray();
            _pairAttributes = a.Attributes.Select(i => (long)i).ToArray();
            var count = new int[numItems];
            foreach (var i in a.Items) count[i]++;
            _inverseCount = count.Select(c => c == 0 ? 0f : 1f / c).ToArray();
        }
        if (o.UserIds) user_embedding = new Parameter(SeededLayers.Glorot(numUsers, o.Dim, g));
        RegisterComponents();
    }

    public int NumItems { get; }
    public int NumUsers { get; }
    public bool HasAttributes => attribute_embedding is not null;
    public bool HasUserRows => user_embedding is not null;

    /// <summary>Trainable scalars of the item-side tables (ids — the registry table's own count — and attributes).</summary>
    public long ItemTableParameters => (_itemTable is null ? item_embedding!.numel() : _tableParameters) + (attribute_embedding?.numel() ?? 0);

    /// <summary>Rows of the item id table: NumItems for the network's own, the registry table's trainable rows otherwise.</summary>
    public int ItemTableRows => _itemTable is null ? NumItems : _tableRows;

    /// <summary>Every item's id row [NumItems, Dim].</summary>
    private Tensor IdRows() => _itemTable?.All() ?? item_embedding!;

    /// <summary>Trainable scalars of the user table (0 without <see cref="TwoTowerOptions.UserIds"/>).</summary>
    public long UserTableParameters => user_embedding?.numel() ?? 0;

    /// <summary>Every item's input row x_i, [NumItems, Dim].</summary>
    public Tensor ItemInputs()
    {
        var ids = IdRows();
        if (attribute_embedding is null) return ids;
        var (items, attrs, inverse) = Pairs(ids.device);
        var mean = zeros_like(ids).index_add(0, items, attribute_embedding.index_select(0, attrs), KeptScalars.One) * inverse;
        return ids.Plus(mean);
    }

    /// <summary>
    /// User vectors [B, Dim] from item inputs <paramref name="inputs"/> [NumItems, Dim] and pooled rows
    /// (<see cref="HistoryPooling.Rows"/>, [B × width]); <paramref name="users"/> are the B user ids when the network
    /// has user rows (null: no user row is added, as for a user the model has never seen).
    /// </summary>
    public Tensor UserVectors(Tensor inputs, long[] items, float[] weights, int width, long[]? users)
    {
        var device = inputs.device;
        long b = items.Length / width;
        var pooled = (inputs.index_select(0, tensor(items, device: device)).view(b, width, _o.Dim)
                      * tensor(weights, [b, width, 1], device: device)).sum(1);
        if (user_embedding is not null && users is not null)
            pooled = pooled.Plus(user_embedding.index_select(0, tensor(users, device: device)));
        var u = user_tower.forward(pooled);
        return _o.Normalize ? u.L2Normalized(1) : u;
    }

    /// <summary>Item vectors [n, Dim] of input rows [n, Dim].</summary>
    public Tensor ItemVectors(Tensor inputs)
    {
        var v = item_tower.forward(inputs);
        return _o.Normalize ? v.L2Normalized(1) : v;
    }

    /// <summary>
    /// A CPU network with <paramref name="o"/>'s shape and this network's weights (from any device). Call it outside
    /// any dispose scope, or the copy is disposed with the scope. A registry item table is frozen into the copy's own
    /// id table (serving needs its rows, not its structure).
    /// </summary>
    public TwoTowerNetwork CpuCopy(TwoTowerOptions o)
    {
        var copy = new TwoTowerNetwork(o, NumItems, NumUsers, _attributes, seed: 0);
        using var _ = no_grad();
        var target = copy.state_dict();
        foreach (var (name, value) in state_dict())
            target[name].copy_(value.detach().cpu());
        if (_itemTable is not null)
        {
            using var scope = NewDisposeScope();
            copy.item_embedding!.copy_(_itemTable.All().detach().cpu());
        }
        return copy;
    }

    /// <summary>The (item, attribute) pairs and each item's 1 / attribute count, [P], [P], [NumItems, 1], built once per device.</summary>
    private (Tensor Items, Tensor Attributes, Tensor Inverse) Pairs(Device device)
    {
        var key = device.ToString();
        if (_pairs.TryGetValue(key, out var p)) return p;
        p = (tensor(_pairItems, device: device).DetachFromDisposeScope(),
             tensor(_pairAttributes, device: device).DetachFromDisposeScope(),
             tensor(_inverseCount, [NumItems, 1], device: device).DetachFromDisposeScope());
        _pairs[key] = p;
        return p;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (i, a, v) in _pairs.Values) { i.Dispose(); a.Dispose(); v.Dispose(); }
            _pairs.Clear();
        }
        base.Dispose(disposing);
    }
}
