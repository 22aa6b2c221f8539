using Recsys.Training;
using Recsys.Training.Objectives;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// KGAT's TransR phase (Wang et al. KDD 2019 §3.4): after each epoch's BPR batches, the KG triples in batches of
/// <see cref="KgatOptions.KgBatchSize"/>, then an attention refresh. Steps the same optimizer as the BPR phase.
/// </summary>
internal sealed class TransRPhase(Kgat model) : ITrainingPhase
{
    public string Name => "transr";
    public string Optimizer => ParameterGroup.Default;
    public int Begin(ref Xoshiro256 rng) => model.BeginTransR(ref rng);
    public Tensor Loss(int batch, Device device) => model.TransRLossOf(batch, device);
    public void End() => model.EndTransR();
}
