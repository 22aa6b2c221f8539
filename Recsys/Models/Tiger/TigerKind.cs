using Recsys.Catalog;
using Recsys.Tables.SemanticId;
using Recsys.Training;

namespace Recsys.Models;

public static partial class SequentialModelKinds
{
    private static readonly KindParameter<string> TigerCodes = KindParameter.Text("codes",
        "Semantic-ID codes file (recsys index semantic-ids): tiger's vocabulary, or the codes of the sid:* item tables.");
    private static readonly KindParameter<int> TigerMaxItems = KindParameter.Int("max-items", "tiger: most recent items the encoder reads (default 20).", min: 1);
    private static readonly KindParameter<int> TigerEncoderLayers = KindParameter.Int("encoder-layers", "tiger: encoder layers (default 4).", min: 1);
    private static readonly KindParameter<int> TigerDecoderLayers = KindParameter.Int("decoder-layers", "tiger: decoder layers (default 4).", min: 1);
    private static readonly KindParameter<int> TigerHeads = KindParameter.Int("attention-heads", "tiger: attention heads (default 6).", min: 1);
    private static readonly KindParameter<int> TigerHeadDim = KindParameter.Int("head-dim", "tiger: width of one attention head (default 64).", min: 1);
    private static readonly KindParameter<int> TigerFeedForward = KindParameter.Int("feed-forward", "tiger: feed-forward hidden width (default 1024).", min: 1);
    private static readonly KindParameter<int> TigerUserBuckets = KindParameter.Int("user-buckets", "tiger: user-id hash buckets, one token each (default 2000).", min: 1);
    private static readonly KindParameter<int> TigerBeam = KindParameter.Int("beam", "tiger: beam width of the constrained decoding (default 20).", min: 1);

    /// <summary>
    /// A 1 + 1-layer model of width 64 (2 heads of 32, feed-forward 256) over the last 10 items: the model of the Beauty
    /// CPU run, and small enough for the quickstart.
    /// </summary>
    public static readonly ModelPreset TigerSmall = new("small",
        "1 + 1 layers, width 64, 2 heads of 32, feed-forward 256, the last 10 items (--dim 64 --encoder-layers 1 --decoder-layers 1 --attention-heads 2 --head-dim 32 --feed-forward 256 --max-items 10)",
        o => (TigerOptions)o with { Dim = 64, EncoderLayers = 1, DecoderLayers = 1, AttentionHeads = 2, HeadDim = 32, FeedForward = 256, MaxItems = 10 });

    /// <summary>
    /// Registers TIGER as "tiger" (needs <c>codes</c>; the file's full path and SHA-256 go into the options) with Adam
    /// lr 1e-3, batches of 256 examples and 200 epochs; <c>--dropout</c> is shared with sasrec and defaults to 0.1 here.
    /// </summary>
    public static RecsysCatalog AddTiger(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<TigerOptions>(
        "tiger", "TIGER (Rajput et al., NeurIPS 2023): an encoder-decoder transformer that writes the next item's semantic-ID codes, beam search over real items.",
        parameters: [TigerCodes, TigerMaxItems, TigerEncoderLayers, TigerDecoderLayers, TigerHeads, TigerHeadDim, TigerFeedForward, Dropout, TigerUserBuckets, TigerBeam],
        trainerDefaults: () => new TrainerOptions { LearningRate = 1e-3, BatchSize = 256, Epochs = 200 },
        unsupported: TigerOptions.Unsupported,
        presets: [TigerSmall],
        configure: (o, a) =>
        {
            if (!a.TryGet(TigerCodes, out var path))
                throw new ArgumentOutOfRangeException(nameof(TigerOptions.Codes), null, "tiger needs a semantic-ID codes file (recsys index semantic-ids writes one).");
            path = Path.GetFullPath(path);
            if (!File.Exists(path)) throw new ArgumentOutOfRangeException(nameof(TigerOptions.Codes), path, "the codes file does not exist.");
            return o with
            {
                Codes = path, CodesSha256 = SemanticIdTableSpec.Sha256Of(path),
                MaxItems = a.GetOr(TigerMaxItems, o.MaxItems),
                EncoderLayers = a.GetOr(TigerEncoderLayers, o.EncoderLayers),
                DecoderLayers = a.GetOr(TigerDecoderLayers, o.DecoderLayers),
                AttentionHeads = a.GetOr(TigerHeads, o.AttentionHeads),
                HeadDim = a.GetOr(TigerHeadDim, o.HeadDim),
                FeedForward = a.GetOr(TigerFeedForward, o.FeedForward),
                Dropout = a.GetOr(Dropout, o.Dropout),
                UserBuckets = a.GetOr(TigerUserBuckets, o.UserBuckets),
                Beam = a.GetOr(TigerBeam, o.Beam),
            };
        }));
}
