using Recsys.Data;
using Recsys.Graphs;
using Recsys.IO;
using Recsys.Models.Propagation;
using Recsys.Tables;
using Recsys.Training;
using Recsys.Training.Objectives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// KGAT (Wang et al., KDD 2019) over the <see cref="CollaborativeKnowledgeGraph"/>: node rows are items (item table),
/// the KG's other entities (entity table), then users (user table). Each layer aggregates e_N = A e with the
/// attentive adjacency A (<see cref="KgatAttention"/>, a CSR kernel inside autograd with Aᵀ for the backward), then
/// bi-interaction / GCN / GraphSAGE, LeakyReLU, message dropout; the final embedding concatenates layer 0 and each
/// layer's L2-normalised output (64 + 64 + 32 + 16 = 176 by default). Training alternates the BPR loss on the final
/// embeddings (L2 on those rows, as KGAT-pytorch) with a TransR phase (<see cref="TransRPhase"/>); attention is
/// refreshed after each epoch from the layer-0 embeddings and kept in the "attention" buffer, so checkpoints and
/// model.bin restore it exactly. It starts uniform (1/|N_h|).
/// </summary>
public sealed class Kgat : RecommenderModel
{
    private readonly KgatOptions _o;
    private readonly CollaborativeKnowledgeGraph _ckg;
    private readonly KgatAttention _att;
    private readonly TransRSampler _sampler;
    private readonly GraphPropagator _graph;
    private readonly SeededDropout _dropout;
    private readonly int _extra;            // KG entities that are not items
    private (int[] H, int[] R, int[] Tp, int[] Tn)? _kgSamples;
    private readonly ColdItemNeighbours? _coldItems;

    // Field names are checkpoint keys.
    private readonly EmbeddingTable entity_table;
    private readonly Parameter relation_embed;   // [R, k]
    private readonly Parameter trans_w;          // [R, d, k]
    private readonly ModuleList<Linear> w1 = new();
    private readonly ModuleList<Linear> w2 = new();
    private readonly Tensor attention;           // buffer [edges]

    public Kgat(KgatOptions options, ModelInputs inputs, ulong seed) : base("KGAT", options, inputs, seed)
    {
        var train = inputs.Train;
        var knowledge = inputs.Knowledge ?? throw new InvalidDataException(KgatOptions.NeedsKnowledgeGraph);
        _o = options;
        _ckg = CollaborativeKnowledgeGraph.Build(train, knowledge, addInverse: true);
        _extra = _ckg.NumKgEntities - NumItems;
        _att = new KgatAttention(_ckg.Graph);
        _sampler = new TransRSampler(_ckg.Graph, options.KgBatchSize);
        var uniform = _att.Uniform();
        var (a, _) = _att.Matrices(uniform);
        _graph = new GraphPropagator(a, symmetric: false, options.Propagation);
        _dropout = new SeededDropout(DeriveSeed(seed, 3));
        if (options.ColdItems == KgatColdItems.KgItems) _coldItems = ColdItemNeighbours.Build(train, _ckg);

        int d = options.Dim, k = options.RelationDim, nr = _ckg.Graph.NumRelations;
        // Entities that are not items always get a full table: hashing applies to the user and item tables only.
        entity_table = new FullTableSpec(TableInit.XavierUniform).Create(new TableContext(Math.Max(1, _extra), d, DeriveSeed(seed, 5), inputs, TableSide.Items));
        using var init = new Generator(DeriveSeed(seed, 4), CPU);
        using (no_grad())
        {
            var re = empty(nr, k); re.uniform_(-Math.Sqrt(6.0 / (nr + k)), Math.Sqrt(6.0 / (nr + k)), init);
            relation_embed = new Parameter(re);
            var tw = empty(nr, d, k); tw.uniform_(-Math.Sqrt(6.0 / (d + k)), Math.Sqrt(6.0 / (d + k)), init);
            trans_w = new Parameter(tw);
        }
        int din = d;
        foreach (var dout in options.LayerDims)
        {
            w1.Add(SeededLayers.GlorotLinear(options.Aggregator == KgatAggregator.GraphSage ? 2 * din : din, dout, init));
            if (options.Aggregator == KgatAggregator.BiInteraction) w2.Add(SeededLayers.GlorotLinear(din, dout, init));
            din = dout;
        }
        attention = tensor(uniform);
        RegisterComponents();
        if (options.Pretrain is { } run) LoadPretrained(run);
    }

    public override string Kind => "kgat";

    /// <summary>BPR on the final embeddings, then the TransR phase on the KG triples, both stepped by one Adam (as the runs behind the committed results).</summary>
    public override IReadOnlyList<ITrainingPhase> Phases(ModelInputs inputs, TrainerOptions options) =>
        [new BprPhase(this, inputs.Train, options), new TransRPhase(this), .. TablePhases(inputs, options)];

    /// <summary>The collaborative knowledge graph the model propagates over.</summary>
    public CollaborativeKnowledgeGraph Graph => _ckg;

    /// <summary>Current attention value of every CKG edge (CSR order of <see cref="Graph"/>), copied out.</summary>
    public float[] AttentionValues() => attention.to(CPU).data<float>().ToArray();

    /// <summary>Layer-0 rows of every CKG node [E + U, d]: items, other entities, users.</summary>
    private Tensor Ego()
    {
        var items = item_table.All();
        var parts = new List<Tensor> { _coldItems?.Apply(items) ?? items };
        if (_extra > 0) parts.Add(entity_table.All().narrow(0, 0, _extra));
        parts.Add(user_table.All());
        return cat(parts, 0);
    }

    public override Tensor BprLoss(BprBatch batch, double reg)
    {
        var all = Propagate();
        var u = all.index_select(0, batch.UserIds + _ckg.UserOffset);
        var p = all.index_select(0, batch.PositiveIds);
        var n = all.index_select(0, batch.NegativeIds);
        return Models.BprLoss.Compute(u, p, n, u, p, n, reg); // KGAT-pytorch puts the L2 term on the final rows
    }

    protected override (Tensor Users, Tensor Items) Final()
    {
        var all = Propagate();
        return (all.narrow(0, _ckg.UserOffset, NumUsers), all.narrow(0, 0, NumItems));
    }

    /// <summary>Concatenated layer embeddings of every CKG node [E + U, Dim + Σ LayerDims].</summary>
    private Tensor Propagate()
    {
        var e = Ego();
        var (a, aT) = _att.Matrices(AttentionValues());
        var layers = new List<Tensor> { e };
        for (int l = 0; l < w1.Count; l++)
        {
            var side = _graph.Multiply(e, a, aT);                                     // e_N = A e
            e = _o.Aggregator switch
            {
                KgatAggregator.Gcn => Act(w1[l].forward(e + side)),
                KgatAggregator.GraphSage => Act(w1[l].forward(cat([e, side], 1))),
                _ => Act(w1[l].forward(e + side)) + Act(w2[l].forward(e * side)),
            };
            if (training && _o.MessageDropout > 0) e = _dropout.Apply(e, _o.MessageDropout);
            layers.Add(nn.functional.normalize(e, p: 2, dim: 1));
        }
        return cat(layers, 1);
    }

    private Tensor Act(Tensor x) => nn.functional.leaky_relu(x, _o.LeakySlope);

    /// <summary>Draws this epoch's TransR triples; returns the number of batches (0 when TransR is off).</summary>
    internal int BeginTransR(ref Xoshiro256 rng)
    {
        if (!_o.TrainTransR) { _kgSamples = null; return 0; }
        _kgSamples = _sampler.Sample(ref rng);
        return _sampler.Batches;
    }

    /// <summary>TransR loss of batch <paramref name="batch"/> of the drawn triples.</summary>
    internal Tensor TransRLossOf(int batch, Device device)
    {
        var (h, r, tp, tn) = _kgSamples ?? throw new InvalidOperationException("BeginTransR was not called.");
        int start = batch * _sampler.BatchSize, len = _sampler.BatchSize;
        var ego = Ego();
        return TransRLoss.ComputeGrouped(
            ego.index_select(0, Ids(h, start, len, device)), relation_embed.index_select(0, Ids(r, start, len, device)),
            ego.index_select(0, Ids(tp, start, len, device)), ego.index_select(0, Ids(tn, start, len, device)),
            trans_w, RelationRun.Of(r, start, len), _o.KgReg);
    }

    /// <summary>After the TransR phase: refresh attention (paper: once per epoch).</summary>
    internal void EndTransR()
    {
        _kgSamples = null;
        if (_o.UseAttention) RefreshAttention();
    }

    /// <summary>Recomputes π for every edge from the current layer-0 embeddings (paper: once per epoch).</summary>
    public void RefreshAttention()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = _att.Compute(Ego(), relation_embed, trans_w);
        using var t = tensor(values, device: attention.device);
        attention.copy_(t);
    }

    private static Tensor Ids(int[] ids, int start, int len, Device device)
    {
        var l = new long[len];
        for (int i = 0; i < len; i++) l[i] = ids[start + i];
        return tensor(l, device: device);
    }

    /// <summary>Copies the user and item embeddings of an MF run folder into the user and item tables.</summary>
    private void LoadPretrained(string runDir)
    {
        var run = new RunFolder(runDir);
        Copy(run.UserEmbeddingsFile, user_table, NumUsers);
        Copy(run.ItemEmbeddingsFile, item_table, NumItems);
    }

    private void Copy(string file, EmbeddingTable table, int expected)
    {
        var v = EmbeddingFile.Read(file, out int count, out int dim);
        if (count != expected || dim != _o.Dim)
            throw new InvalidDataException($"{file}: holds {count} x {dim} embeddings, expected {expected} x {_o.Dim} (pretrain with an mf run of the same data and the same embedding width).");
        using var _ = no_grad();
        var w = table.parameters().Single();
        using var src = tensor(v, [count, dim]);
        w.copy_(src);
    }

    public override byte[]? SaveRandomState() => _dropout.SaveState();

    public override void RestoreRandomState(byte[] state) => _dropout.RestoreState(state);

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _graph.Dispose(); _dropout.Dispose(); _coldItems?.Dispose(); }
        base.Dispose(disposing);
    }
}
