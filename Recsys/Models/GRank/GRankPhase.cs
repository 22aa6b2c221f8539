using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One epoch of GRank training: users with at least two training items, shuffled by the epoch's generator, in
/// batches of <see cref="TrainerOptions.BatchSize"/> users (capped by <see cref="TrainerOptions.MaxBatchesPerEpoch"/>).
/// Each user contributes the window of their last MaxLength + 1 training items and, for the ranker, the last
/// RankerLength items before the final one. <see cref="Begin"/> also draws each batch's RankerNegatives uniform items
/// from the same generator, so a resume redraws them.
/// </summary>
public sealed class GRankPhase : ITrainingPhase
{
    private readonly GRank _model;
    private readonly int _batchSize, _maxBatches;
    private readonly int[] _eligible;
    private int[] _users = [];
    private int[][] _negatives = [];

    public GRankPhase(GRank model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch;
        _eligible = Enumerable.Range(0, model.NumUsers).Where(u => model.History(u).Length >= 2).ToArray();
    }

    public string Name => "grank";
    public string Optimizer => ParameterGroup.Default;

    /// <summary>This epoch's users in batch order.</summary>
    public IReadOnlyList<int> Users => _users;

    public int Begin(ref Xoshiro256 rng)
    {
        var u = (int[])_eligible.Clone();
        for (int i = u.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (u[i], u[j]) = (u[j], u[i]); }
        _users = u;
        int batches = (u.Length + _batchSize - 1) / _batchSize;
        if (_maxBatches > 0) batches = Math.Min(batches, _maxBatches);
        _negatives = _model.DrawRankerNegatives(batches, ref rng);
        return batches;
    }

    public Tensor Loss(int batch, Device device)
    {
        int start = batch * _batchSize, end = Math.Min(_users.Length, start + _batchSize);
        var windows = new int[end - start][];
        var longs = new int[end - start][];
        var o = _model.Options;
        for (int k = start; k < end; k++)
        {
            var h = _model.History(_users[k]);
            windows[k - start] = h[Math.Max(0, h.Length - (o.MaxLength + 1))..].ToArray();
            int before = h.Length - 1;
            longs[k - start] = h[Math.Max(0, before - o.RankerLength)..before].ToArray();
        }
        return _model.Loss(windows, longs, _negatives[batch], device);
    }

    public void End() { }
}
