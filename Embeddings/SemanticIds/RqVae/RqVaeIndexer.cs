using System.Diagnostics;
using System.Globalization;
using Recsys.Data.SemanticIds;
using TorchSharp;
using static TorchSharp.torch;

namespace Recsys.Embeddings.SemanticIds.RqVae;

/// <summary>
/// RQ-VAE semantic IDs (TIGER, Rajput et al. 2023): train <see cref="RqVaeNetwork"/> on the standardised item features
/// with loss = reconstruction MSE + Σ levels (‖sg[r] − e‖² + β‖r − sg[e]‖²) and AdamW, then read each item's codes off
/// the trained quantiser. Codebooks start as residual k-means of the encoded items; after every
/// <see cref="RqVaeOptions.ReseedEvery"/> epochs, codewords no item chose are re-seeded with the residuals of the items
/// their level quantises worst. With <see cref="LastLevelAssignment.Balanced"/> the last level is then re-formed by
/// <see cref="BalancedLastLevel"/> inside the prefixes whose items would share a tuple (LC-Rec's uniform semantic
/// mapping). CPU, deterministic for a seed and thread count.
/// </summary>
public sealed class RqVaeIndexer(SemanticIndexSettings settings, RqVaeOptions options) : ISemanticIndexer
{
    public string Method => RqVaeKind.Name;

    public SemanticIndexResult Index(SemanticIndexInput input, IProgress<SemanticIndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = input.RequireFeatures(Method);
        settings.Validate(features.NumItems);
        options.Validate();
        var sw = Stopwatch.StartNew();
        int n = features.NumItems, levels = settings.Levels, k = settings.Codes;
        using var outer = NewDisposeScope();
        var x = tensor(StandardizedFeatures.Of(features), [n, features.Dim]);
        using var net = new RqVaeNetwork(features.Dim, options, levels, k, settings.Seed);
        var rng = new Random(settings.Seed);

        progress?.Report(new SemanticIndexProgress("k-means initialisation of the codebooks"));
        InitialiseCodebooks(net, x, rng);

        var optimizer = optim.AdamW(net.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var losses = new List<EpochLoss>(options.Epochs);
        var order = Enumerable.Range(0, n).ToArray();
        int reseeded = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var es = Stopwatch.StartNew();
            rng.Shuffle(order);
            double total = 0, recon = 0, quant = 0;
            net.train();
            for (int start = 0; start < n; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                int len = Math.Min(options.BatchSize, n - start);
                var batch = x.index_select(0, tensor(order.AsSpan(start, len).ToArray().Select(i => (long)i).ToArray()));
                var (lossR, lossQ) = Losses(net, batch);
                var loss = lossR + lossQ;
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                total += loss.item<float>() * len; recon += lossR.item<float>() * len; quant += lossQ.item<float>() * len;
            }
            if (options.ReseedEvery > 0 && epoch % options.ReseedEvery == 0 && epoch < options.Epochs) reseeded += ReseedDeadCodes(net, x);
            var el = new EpochLoss(epoch, total / n, recon / n, quant / n, es.Elapsed.TotalSeconds);
            if (!double.IsFinite(el.Total)) throw new InvalidOperationException($"RQ-VAE training diverged at epoch {epoch} (loss {el.Total}); lower the learning rate.");
            losses.Add(el);
            progress?.Report(new SemanticIndexProgress("training", epoch, options.Epochs, el));
        }

        net.eval();
        using var _ = no_grad();
        var z = net.Encode(x);
        var (_, codes, _, _) = ResidualQuantizer.Quantize(z, net.Codebooks, options.Beta);
        var flat = codes.to_type(ScalarType.Int32).contiguous().data<int>().ToArray();
        if (options.LastLevel == LastLevelAssignment.Balanced)
        {
            var bs = Stopwatch.StartNew();
            int moved = BalanceLastLevel(net, z, flat, levels);
            progress?.Report(new SemanticIndexProgress(string.Create(CultureInfo.InvariantCulture,
                $"balanced last level: {moved} items moved off their nearest last codeword ({bs.Elapsed.TotalSeconds:F1} s)")));
        }
        double error = nn.functional.mse_loss(net.Decode(Codewords(net, flat, levels, levels)), x).item<float>();
        var cards = Enumerable.Repeat(k, levels).ToArray();
        return new SemanticIndexResult(SemanticIdCodes.Disambiguate(n, cards, flat, Method), sw.Elapsed.TotalSeconds)
        {
            ReconstructionError = error, Losses = losses, ReseededCodes = reseeded,
        };
    }

    /// <summary>Σ of the codewords of the first <paramref name="upTo"/> levels that the codes (row-major [n, L]) name: [n, D].</summary>
    private static Tensor Codewords(RqVaeNetwork net, int[] flat, int levels, int upTo)
    {
        long n = flat.Length / levels;
        var codes = tensor(flat.Select(c => (long)c).ToArray(), [n, levels]);
        Tensor sum = zeros(n, net.Codebooks.shape[2], dtype: net.Codebooks.dtype);
        for (int l = 0; l < upTo; l++) sum = sum + net.Codebooks[l].index_select(0, codes[TensorIndex.Colon, l]);
        return sum;
    }

    /// <summary>Re-forms the last level of <paramref name="flat"/> with <see cref="BalancedLastLevel"/> on the residuals the levels above leave; returns the items moved.</summary>
    private int BalanceLastLevel(RqVaeNetwork net, Tensor z, int[] flat, int levels)
    {
        using var scope = NewDisposeScope();
        var residual = (z - Codewords(net, flat, levels, levels - 1)).contiguous().data<float>().ToArray();
        var book = net.Codebooks[levels - 1].contiguous().data<float>().ToArray();
        return BalancedLastLevel.Assign(flat, levels, residual, book, (int)z.shape[1], options.SinkhornEpsilon, options.SinkhornIterations);
    }

    /// <summary>Reconstruction MSE and the summed quantisation losses of one batch.</summary>
    private (Tensor Reconstruction, Tensor Quantization) Losses(RqVaeNetwork net, Tensor batch)
    {
        var z = net.Encode(batch);
        var (quantized, _, lossQ, _) = ResidualQuantizer.Quantize(z, net.Codebooks, options.Beta);
        var decoded = net.Decode(ResidualQuantizer.StraightThrough(z, quantized));
        return (nn.functional.mse_loss(decoded, batch), lossQ);
    }

    /// <summary>Each codebook ← k-means of the residuals the levels above it leave on the encoded items.</summary>
    private void InitialiseCodebooks(RqVaeNetwork net, Tensor x, Random rng)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var r = net.Encode(x);
        for (int l = 0; l < settings.Levels; l++)
        {
            var (centroids, assign, _) = KMeans.Fit(r, settings.Codes, rng, options.KMeansIterations);
            net.Codebooks[l].copy_(centroids);
            r = r - centroids.index_select(0, assign);
        }
    }

    /// <summary>Codewords no item chose take the residuals of the items worst quantised at their level, one item each; returns how many.</summary>
    private static int ReseedDeadCodes(RqVaeNetwork net, Tensor x)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var r = net.Encode(x);
        long levels = net.Codebooks.shape[0], k = net.Codebooks.shape[1];
        int reseeded = 0;
        for (int l = 0; l < levels; l++)
        {
            var book = net.Codebooks[l];
            var (codes, e) = ResidualQuantizer.Nearest(r, book);
            var dead = bincount(codes, minlength: k).eq(0).nonzero().flatten();
            long count = Math.Min(dead.shape[0], r.shape[0]);
            if (count > 0)
            {
                var worst = (r - e).pow(2).sum(1).argsort(descending: true)[TensorIndex.Slice(0, count)];
                book.index_copy_(0, dead[TensorIndex.Slice(0, count)], r.index_select(0, worst));
                reseeded += (int)count;
            }
            r = r - e;
        }
        return reseeded;
    }
}
