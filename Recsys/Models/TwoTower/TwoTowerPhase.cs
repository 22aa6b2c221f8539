using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// One epoch of two-tower training: every (user, position ≥ 1) of the training histories is an example — the items
/// before the position (the user tower cuts them to MaxLength) predict the item at it — shuffled by the epoch's
/// generator and cut into batches of <see cref="TrainerOptions.BatchSize"/> examples (capped by
/// <see cref="TrainerOptions.MaxBatchesPerEpoch"/>). All prefixes rather than one per user: the same pass costs little
/// more (the towers are shallow) and sees every transition each epoch.
/// </summary>
public sealed class TwoTowerPhase : ITrainingPhase
{
    private readonly TwoTower _model;
    private readonly int _batchSize, _maxBatches;
    private readonly long[] _examples;   // (user << 32) | position
    private long[] _order = [];

    public TwoTowerPhase(TwoTower model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model; _batchSize = options.BatchSize; _maxBatches = options.MaxBatchesPerEpoch;
        var examples = new List<long>();
        for (int u = 0; u < model.NumUsers; u++)
            for (int j = 1; j < model.History(u).Length; j++) examples.Add(((long)u << 32) | (uint)j);
        _examples = examples.ToArray();
    }

    public string Name => "twotower";
    public string Optimizer => ParameterGroup.Default;

    /// <summary>Examples of an epoch (before the batch cap).</summary>
    public int Examples => _examples.Length;

    /// <summary>The (user, position) of the <paramref name="index"/>-th example of this epoch's order.</summary>
    public (int User, int Position) Example(int index) => ((int)(_order[index] >> 32), (int)(uint)_order[index]);

    public int Begin(ref Xoshiro256 rng)
    {
        var o = (long[])_examples.Clone();
        for (int i = o.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (o[i], o[j]) = (o[j], o[i]); }
        _order = o;
        int batches = (o.Length + _batchSize - 1) / _batchSize;
        return _maxBatches > 0 ? Math.Min(batches, _maxBatches) : batches;
    }

    public Tensor Loss(int batch, Device device)
    {
        int start = batch * _batchSize, end = Math.Min(_order.Length, start + _batchSize), maxLength = _model.Options.MaxLength;
        var histories = new int[end - start][];
        var targets = new int[end - start];
        var users = new int[end - start];
        for (int k = start; k < end; k++)
        {
            var (u, j) = Example(k);
            var h = _model.History(u);
            histories[k - start] = h[Math.Max(0, j - maxLength)..j].ToArray();
            targets[k - start] = h[j];
            users[k - start] = u;
        }
        return _model.Loss(histories, targets, users, device);
    }

    public void End() { }
}
