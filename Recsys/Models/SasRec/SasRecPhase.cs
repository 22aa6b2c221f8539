using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One epoch of SASRec training: users with at least two training items, shuffled by the epoch's generator, in
/// batches of <see cref="TrainerOptions.BatchSize"/> users (capped by <see cref="TrainerOptions.MaxBatchesPerEpoch"/>);
/// each user contributes the window of their last MaxLength + 1 items. With the BCE objective, <see cref="Begin"/> also
/// draws one negative per target from the same generator: an item uniformly drawn among those not in the user's
/// training history (any item when the history holds every item).
/// </summary>
public sealed class SasRecPhase : ITrainingPhase
{
    private readonly SasRec _model;
    private readonly int _batchSize, _maxBatches;
    private readonly int[] _eligible;
    private int[][]? _sorted;       // each user's distinct training items, sorted (for rejection sampling)
    private int[] _users = [];
    private int[][] _negatives = [];

    public SasRecPhase(SasRec model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch;
        _eligible = Enumerable.Range(0, model.NumUsers).Where(u => model.History(u).Length >= 2).ToArray();
    }

    public string Name => "sasrec";
    public string Optimizer => ParameterGroup.Default;

    /// <summary>This epoch's users in batch order.</summary>
    public IReadOnlyList<int> Users => _users;

    /// <summary>The BCE negatives of the <paramref name="index"/>-th user of <see cref="Users"/>, one per target (empty for CE).</summary>
    public IReadOnlyList<int> Negatives(int index) => _negatives.Length == 0 ? [] : _negatives[index];

    public int Begin(ref Xoshiro256 rng)
    {
        var u = (int[])_eligible.Clone();
        for (int i = u.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (u[i], u[j]) = (u[j], u[i]); }
        _users = u;
        int batches = (u.Length + _batchSize - 1) / _batchSize;
        if (_maxBatches > 0) batches = Math.Min(batches, _maxBatches);
        _negatives = [];
        if (_model.Options.Objective == SasRecObjective.BinaryCrossEntropy)
        {
            _sorted ??= BuildSorted();
            int used = Math.Min(u.Length, batches * _batchSize), numItems = _model.NumItems;
            var negatives = new int[used][];
            for (int k = 0; k < used; k++)
            {
                var seen = _sorted[u[k]];
                var neg = negatives[k] = new int[Window(u[k]).Length - 1];
                for (int j = 0; j < neg.Length; j++)
                {
                    int item;
                    do item = rng.NextInt(numItems);
                    while (seen.Length < numItems && Array.BinarySearch(seen, item) >= 0);
                    neg[j] = item;
                }
            }
            _negatives = negatives;
        }
        return batches;
    }

    public Tensor Loss(int batch, Device device)
    {
        int start = batch * _batchSize, end = Math.Min(_users.Length, start + _batchSize);
        var windows = new int[end - start][];
        for (int k = start; k < end; k++) windows[k - start] = Window(_users[k]).ToArray();
        return _model.Loss(windows, _negatives.Length == 0 ? null : _negatives[start..end], device);
    }

    public void End() { }

    /// <summary>User <paramref name="user"/>'s last MaxLength + 1 training items.</summary>
    private ReadOnlySpan<int> Window(int user)
    {
        var h = _model.History(user);
        return h[Math.Max(0, h.Length - (_model.Options.MaxLength + 1))..];
    }

    private int[][] BuildSorted()
    {
        var sorted = new int[_model.NumUsers][];
        for (int u = 0; u < sorted.Length; u++)
        {
            var s = _model.History(u).ToArray();
            Array.Sort(s);
            sorted[u] = s.Distinct().ToArray();
        }
        return sorted;
    }
}
