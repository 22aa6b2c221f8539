using Recsys.Training;
using Recsys.Tables;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// The item rows a sequential model reads, with its padding convention kept outside the table: history rows are
/// int64 with 0 = padding and item i as i + 1. Two sources: a padded matrix [NumItems + 1, Dim] whose row 0 is the
/// padding row (the layout SASRec and GRank have always had with their own full table, and the frozen copy serving
/// uses), or any registry <see cref="IEmbeddingTable"/> over the items (hashed, GraphHash, semantic-ID, DNIS,
/// mixed-dimension), where a padding position gets a zero row the table never sees. Both are read through getters at
/// each call, so a module moved to another device is followed.
/// </summary>
public sealed class SequenceItems
{
    private readonly Func<Tensor>? _padded;
    private readonly IEmbeddingTable? _table;

    private SequenceItems(Func<Tensor>? padded, IEmbeddingTable? table) { _padded = padded; _table = table; }

    /// <summary>Items read from a padded matrix [NumItems + 1, Dim] (row 0 = padding, item i = row i + 1).</summary>
    public static SequenceItems OverPadded(Func<Tensor> padded) => new(padded ?? throw new ArgumentNullException(nameof(padded)), null);

    /// <summary>Items read from <paramref name="table"/> (ids 0..NumItems − 1); padding rows are zero.</summary>
    public static SequenceItems Over(IEmbeddingTable table) => new(null, table ?? throw new ArgumentNullException(nameof(table)));

    /// <summary>Whether the rows come from a registry table rather than a padded matrix.</summary>
    public bool IsTable => _table is not null;

    /// <summary>Rows [n, Dim] of padded ids [n] (int64, 0 = padding, item + 1); a table's padding rows are zero.</summary>
    public Tensor Rows(Tensor padded)
    {
        if (_padded is not null) return _padded().index_select(0, padded);
        var real = padded.ne(KeptScalars.Of(0L));
        var rows = _table!.Lookup(padded.sub(KeptScalars.One).clamp_min(KeptScalars.Of(0L)));
        // The masked product gives padding positions a zero row and keeps their gradient out of item 0's row.
        return rows * real.unsqueeze(1).to(rows.dtype);
    }

    /// <summary>Rows [n, Dim] of item ids [n] (int64, 0..NumItems − 1).</summary>
    public Tensor Lookup(Tensor items) => _padded is not null ? _padded().index_select(0, items.add(KeptScalars.One)) : _table!.Lookup(items);

    /// <summary>Every item's row [NumItems, Dim] (the output layer and the snapshot's item vectors).</summary>
    public Tensor All()
    {
        if (_table is not null) return _table.All();
        var p = _padded!();
        return p.narrow(0, 1, p.shape[0] - 1);
    }

    /// <summary>The padded matrix [NumItems + 1, Dim] (a table's rows under a zero padding row), for serving copies.</summary>
    public Tensor Padded()
    {
        if (_padded is not null) return _padded();
        var all = _table!.All();
        return cat([zeros(1, all.shape[1], dtype: all.dtype, device: all.device), all], 0);
    }
}
