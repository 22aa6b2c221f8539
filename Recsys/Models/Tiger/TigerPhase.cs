using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// TIGER's training phase: every position p ≥ 1 of every user's training history is one example (target: item p;
/// input: the items before it, of which the network reads the last MaxItems). Each epoch shuffles the examples,
/// sorts runs of 64 batches by input length (so a batch pads little) and shuffles the batch order; all of it drawn
/// from the epoch's generator, so a resume redraws the same batches. The trainer's <c>BatchSize</c> counts examples.
/// </summary>
public sealed class TigerPhase : ITrainingPhase
{
    private const int SortRun = 64;
    private readonly Tiger _model;
    private readonly int _batchSize, _maxBatches;
    private readonly int[] _exampleUser, _examplePosition;
    private int[][] _batches = [];

    public TigerPhase(Tiger model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch;
        var users = new List<int>(); var positions = new List<int>();
        for (int u = 0; u < model.NumUsers; u++)
            for (int p = 1; p < model.History(u).Length; p++) { users.Add(u); positions.Add(p); }
        _exampleUser = users.ToArray(); _examplePosition = positions.ToArray();
    }

    public string Name => "tiger";
    public string Optimizer => ParameterGroup.Default;

    /// <summary>Examples per epoch.</summary>
    public int Examples => _exampleUser.Length;

    public int Begin(ref Xoshiro256 rng)
    {
        int n = _exampleUser.Length, max = _model.Options.MaxItems;
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        var keys = order.Select(e => Math.Min(max, _examplePosition[e])).ToArray();
        int run = SortRun * _batchSize;
        for (int start = 0; start < n; start += run) Array.Sort(keys, order, start, Math.Min(run, n - start));
        var batches = new List<int[]>();
        for (int start = 0; start < n; start += _batchSize) batches.Add(order[start..Math.Min(n, start + _batchSize)]);
        for (int i = batches.Count - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (batches[i], batches[j]) = (batches[j], batches[i]); }
        if (_maxBatches > 0 && batches.Count > _maxBatches) batches.RemoveRange(_maxBatches, batches.Count - _maxBatches);
        _batches = batches.ToArray();
        return _batches.Length;
    }

    public Tensor Loss(int batch, Device device)
    {
        var examples = _batches[batch];
        var users = new int[examples.Length];
        var histories = new int[examples.Length][];
        var targets = new int[examples.Length];
        for (int k = 0; k < examples.Length; k++)
        {
            int e = examples[k], p = _examplePosition[e];
            var h = _model.History(_exampleUser[e]);
            users[k] = _exampleUser[e];
            histories[k] = h[Math.Max(0, p - _model.Options.MaxItems)..p].ToArray();
            targets[k] = h[p];
        }
        return _model.Loss(users, histories, targets, device);
    }

    public void End() { }
}
