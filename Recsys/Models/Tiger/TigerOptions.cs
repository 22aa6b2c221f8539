using Recsys.Data;
using Recsys.Data.SemanticIds;
using Recsys.Tables;
using Recsys.Tables.SemanticId;

namespace Recsys.Models;

/// <summary>
/// TIGER (Rajput et al., NeurIPS 2023, "Recommender Systems with Generative Retrieval"): an encoder-decoder
/// transformer reads the semantic-ID code tokens of a user's last <see cref="MaxItems"/> items plus a hashed user
/// token and writes the next item's code tuple, one code per decoder step, trained with teacher forcing and
/// cross-entropy. Every column of the codes file is a level, the disambiguation column included, each with its own
/// token range. Decoding is a beam search of width <see cref="Beam"/> restricted to the catalog's tuples, so every
/// output is an item. <see cref="ModelOptions.Dim"/> is the model width (128 in the paper). The trainer's
/// <c>BatchSize</c> counts (history, next item) examples. The user and item table specs must stay full (the default):
/// the model builds its own token table.
/// </summary>
public sealed record TigerOptions : ModelOptions, ICodesModelOptions, IBeamSearchOptions
{
    public TigerOptions() => Dim = 128;

    /// <summary>Full path of the codes file (<c>recsys index semantic-ids</c>).</summary>
    public string Codes { get; init; } = "";
    /// <summary>Lower-case hex SHA-256 of the codes file; a build or resume against a changed file is refused.</summary>
    public string CodesSha256 { get; init; } = "";
    /// <summary>Most recent items of the history the encoder reads.</summary>
    public int MaxItems { get; init; } = 20;
    public int EncoderLayers { get; init; } = 4;
    public int DecoderLayers { get; init; } = 4;
    /// <summary>Attention heads of every attention layer.</summary>
    public int AttentionHeads { get; init; } = 6;
    /// <summary>Width of one head (the attention's inner width is AttentionHeads × HeadDim, independent of Dim).</summary>
    public int HeadDim { get; init; } = 64;
    /// <summary>Hidden width of the feed-forward layers.</summary>
    public int FeedForward { get; init; } = 1024;
    /// <summary>Dropout on the embeddings, the attention and feed-forward outputs and the feed-forward hidden layer, in [0, 1).</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>Buckets the user ids are hashed into (one token each); users without an id get one more token.</summary>
    public int UserBuckets { get; init; } = 2000;
    /// <summary>Beam width of the constrained decoding (at least K of the request is used).</summary>
    public int Beam { get; init; } = 20;

    public override string Kind => "tiger";

    public bool HasCodes => !string.IsNullOrWhiteSpace(Codes);

    public ModelOptions WithCodes(string path, string sha256) => this with { Codes = path, CodesSha256 = sha256.ToLowerInvariant() };

    public ModelOptions WithBeam(int beam) => this with { Beam = beam };

    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(Codes)) throw new ArgumentOutOfRangeException(nameof(Codes), Codes, "tiger needs a semantic-ID codes file (recsys index semantic-ids writes one).");
        if (string.IsNullOrWhiteSpace(CodesSha256)) throw new ArgumentOutOfRangeException(nameof(CodesSha256), CodesSha256, "the codes file's SHA-256 is required.");
        if (MaxItems < 1) throw new ArgumentOutOfRangeException(nameof(MaxItems), MaxItems, "must be ≥ 1.");
        if (EncoderLayers < 1) throw new ArgumentOutOfRangeException(nameof(EncoderLayers), EncoderLayers, "must be ≥ 1.");
        if (DecoderLayers < 1) throw new ArgumentOutOfRangeException(nameof(DecoderLayers), DecoderLayers, "must be ≥ 1.");
        if (AttentionHeads < 1) throw new ArgumentOutOfRangeException(nameof(AttentionHeads), AttentionHeads, "must be ≥ 1.");
        if (HeadDim < 1) throw new ArgumentOutOfRangeException(nameof(HeadDim), HeadDim, "must be ≥ 1.");
        if (FeedForward < 1) throw new ArgumentOutOfRangeException(nameof(FeedForward), FeedForward, "must be ≥ 1.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "must be in [0, 1).");
        if (UserBuckets < 1) throw new ArgumentOutOfRangeException(nameof(UserBuckets), UserBuckets, "must be ≥ 1.");
        if (Beam < 1) throw new ArgumentOutOfRangeException(nameof(Beam), Beam, "must be ≥ 1.");
        if (UserTable is not FullTableSpec) throw new ArgumentOutOfRangeException(nameof(UserTable), UserTable.GetType().Name, "tiger hashes users into its own token table; only the default (full) is accepted.");
        if (ItemTable is not FullTableSpec) throw new ArgumentOutOfRangeException(nameof(ItemTable), ItemTable.GetType().Name, "tiger represents items by their code tokens; other table kinds are not supported.");
    }

    /// <summary>Why TIGER cannot train on <paramref name="inputs"/>: it needs ordered histories.</summary>
    public static string? Unsupported(ModelInputs inputs) =>
        inputs.Histories is null ? "tiger needs ordered user histories (ModelInputs.Histories), and the inputs have none." : null;

    /// <summary>
    /// The codes of <see cref="Codes"/> for the inputs' catalog. A missing or changed file, or one built for another item
    /// count, is an error naming <see cref="Codes"/>.
    /// </summary>
    public SemanticIdCodes LoadCodes(ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        try { return SemanticIdTableSpec.Load(Codes, CodesSha256, inputs.NumItems, inputs.Derived); }
        catch (DataFormatException e) { throw new ArgumentOutOfRangeException(nameof(Codes), Codes, e.Message); }
    }

    public override IRecommenderModel Create(ModelInputs inputs, ulong seed)
    {
        Validate();
        if (Unsupported(inputs) is { } why) throw new InvalidDataException(why);
        return new Tiger(this, inputs, LoadCodes(inputs), seed);
    }
}
