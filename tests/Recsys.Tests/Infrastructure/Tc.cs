using Recsys.Catalog;
using Recsys.Cli;
using Recsys.Data;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Training;

namespace Recsys.Tests;

/// <summary>Test shorthands: the standard catalog, inputs over a bare training matrix, and trainers over them.</summary>
internal static class Tc
{
    /// <summary>The CLI's catalog (graph models, full and hashed tables); frozen, shared by every test.</summary>
    public static RecsysCatalog Catalog { get; } = CliCatalog.Standard();

    public static ModelInputs Inputs(InteractionMatrix train, string name = "c") => new(name, train);

    public static Trainer Trainer(IValidationScorer? scorer = null, IProgress<TrainingProgress>? progress = null) => new(Catalog, scorer, progress);

    /// <summary>Default options of the registered kind <paramref name="kind"/>.</summary>
    public static ModelOptions Model(string kind) => Catalog.Model(kind).Defaults();

    public static TableContext Context(InteractionMatrix train, TableSide side, int dim, ulong seed) => TableContext.For(Inputs(train), side, dim, seed);

    public static TrainingResult Train(this Trainer t, InteractionMatrix train, string name, ModelOptions model, TrainerOptions options, string dir, CancellationToken cancel = default) =>
        t.Train(Inputs(train, name), model, options, dir, cancel);

    public static TrainingResult Train(this Trainer t, Dataset data, ModelOptions model, TrainerOptions options, string dir, CancellationToken cancel = default) =>
        t.Train(ModelInputs.From(data), model, options, dir, cancel);

    public static TrainingResult Resume(this Trainer t, Dataset data, string dir) => t.Resume(ModelInputs.From(data), dir);

    /// <summary>The model over a bare training matrix (and a knowledge graph).</summary>
    public static IRecommenderModel Create(this ModelOptions o, InteractionMatrix train, ulong seed) => o.Create(Inputs(train), seed);

    public static IRecommenderModel Create(this ModelOptions o, InteractionMatrix train, KnowledgeTriples knowledge, ulong seed) =>
        o.Create(new ModelInputs("c", train) { Knowledge = knowledge }, seed);

    /// <summary>The BPR loss of a model trained with BPR.</summary>
    public static TorchSharp.torch.Tensor Loss(this IRecommenderModel m, BprBatch batch, double reg) => ((Recsys.Training.Objectives.IBprModel)m).BprLoss(batch, reg);

    public static TrainingResult Resume(this Trainer t, InteractionMatrix train, string dir, int? epochs = null, CancellationToken cancel = default, int? torchThreads = null) =>
        t.Resume(Inputs(train), dir, epochs, cancel, torchThreads);
}
