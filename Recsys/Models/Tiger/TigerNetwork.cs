using Recsys.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recsys.Models;

/// <summary>
/// TIGER's encoder-decoder: one token table [Vocabulary, Dim] shared by encoder and decoder (as in T5), learned
/// encoder positions [MaxSource, Dim] (right-aligned: the last source token always has the last position) and decoder
/// positions [Width, Dim], pre-norm encoder and decoder layers with final layer norms, and an output layer over the
/// code tokens [Dim → CodeTokens]. Decoder step t reads [start, c₁ … c_t] and its last position scores level t's codes.
/// </summary>
public sealed class TigerNetwork : nn.Module
{
    private readonly TigerTokens _tokens;
    private readonly Dictionary<(long T, string Device), Tensor> _causal = new();
    // Field names are checkpoint keys.
    private readonly Parameter token_embedding, encoder_position, decoder_position;
    private readonly ModuleList<TigerEncoderLayer> encoder;
    private readonly LayerNorm encoder_norm;
    private readonly ModuleList<TigerDecoderLayer> decoder;
    private readonly LayerNorm decoder_norm;
    private readonly Linear output;

    /// <summary>A network with weights drawn from a generator seeded by <paramref name="seed"/>.</summary>
    public TigerNetwork(TigerOptions o, TigerTokens tokens, ulong seed) : base("TigerNetwork")
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
        using var g = new Generator(seed, CPU);
        token_embedding = new Parameter(empty(tokens.Vocabulary, o.Dim).normal_(0, 0.02, g));
        encoder_position = new Parameter(empty(tokens.MaxSource, o.Dim).normal_(0, 0.02, g));
        decoder_position = new Parameter(empty(tokens.Width, o.Dim).normal_(0, 0.02, g));
        encoder = nn.ModuleList(Enumerable.Range(0, o.EncoderLayers).Select(_ => new TigerEncoderLayer(o, g)).ToArray());
        encoder_norm = nn.LayerNorm(o.Dim);
        decoder = nn.ModuleList(Enumerable.Range(0, o.DecoderLayers).Select(_ => new TigerDecoderLayer(o, g)).ToArray());
        decoder_norm = nn.LayerNorm(o.Dim);
        output = SeededLayers.GlorotLinear(o.Dim, tokens.CodeTokens, g);
        RegisterComponents();
    }

    public TigerTokens Tokens => _tokens;
    /// <summary>The token table [Vocabulary, Dim].</summary>
    public Parameter TokenTable => token_embedding;

    /// <summary>
    /// The encoded history [B, S, D] of right-aligned source rows [B, S] (int64, 0 = padding), and the padding mask
    /// [B, 1, 1, S] (true = padding) the decoder's cross-attention needs.
    /// </summary>
    public (Tensor Memory, Tensor Padding) Encode(Tensor source, Func<Tensor, Tensor>? drop)
    {
        long b = source.shape[0], s = source.shape[1];
        if (s < 1 || s > _tokens.MaxSource) throw new ArgumentOutOfRangeException(nameof(source), s, $"source length must be in 1..{_tokens.MaxSource}.");
        var padding = source.eq(KeptScalars.Of((long)TigerTokens.Pad)).view(b, 1, 1, s);
        var x = token_embedding.index_select(0, source.flatten()).view(b, s, -1).Plus(encoder_position.narrow(0, _tokens.MaxSource - s, s));
        if (drop is not null) x = drop(x);
        foreach (var layer in encoder) x = layer.Forward(x, padding, drop);
        return (encoder_norm.forward(x), padding);
    }

    /// <summary>Every decoder layer's cross-attention keys and values of the encoded history [B, S, D].</summary>
    public (Tensor K, Tensor V)[] CrossKeys(Tensor memory) => decoder.Select(l => l.CrossKeys(memory)).ToArray();

    /// <summary>
    /// Decoder hidden states [B·G, T, D] of target rows [B·G, T] (int64: start token then code tokens), G rows per
    /// history; <paramref name="cross"/> and <paramref name="padding"/> are those of the B histories.
    /// </summary>
    public Tensor Decode(Tensor target, (Tensor K, Tensor V)[] cross, Tensor padding, Func<Tensor, Tensor>? drop)
    {
        long n = target.shape[0], t = target.shape[1];
        if (t < 1 || t > _tokens.Width) throw new ArgumentOutOfRangeException(nameof(target), t, $"target length must be in 1..{_tokens.Width}.");
        var x = token_embedding.index_select(0, target.flatten()).view(n, t, -1).Plus(decoder_position.narrow(0, 0, t));
        if (drop is not null) x = drop(x);
        var causal = Causal(t, target.device);
        for (int l = 0; l < decoder.Count; l++) x = decoder[l].Forward(x, causal, cross[l], padding, drop);
        return decoder_norm.forward(x);
    }

    /// <summary>
    /// One step of incremental decoding (eval mode): the decoder's hidden state [B·G, D] at position
    /// <paramref name="position"/> of B·G sequences whose newest tokens are <paramref name="tokens"/> [B·G] (int64), G
    /// per history, the earlier positions held by <paramref name="cache"/> (row r continues cached row
    /// <paramref name="parents"/>[r]; null at position 0). Equals the last position of <see cref="Decode"/> on the whole
    /// sequences, up to float rounding.
    /// </summary>
    public Tensor DecodeStep(Tensor tokens, int position, Tensor? parents, TigerDecoderCache cache, (Tensor K, Tensor V)[] cross, Tensor padding)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (position < 0 || position >= _tokens.Width) throw new ArgumentOutOfRangeException(nameof(position), position, $"must be in 0..{_tokens.Width - 1}.");
        if (cache.Length != position) throw new ArgumentException($"the cache holds {cache.Length} positions; step {position} needs {position}.", nameof(cache));
        long n = tokens.shape[0];
        var x = token_embedding.index_select(0, tokens).view(n, 1, -1).Plus(decoder_position.narrow(0, position, 1));
        for (int l = 0; l < decoder.Count; l++) x = decoder[l].Step(x, cache, l, parents, cross[l], padding);
        return decoder_norm.forward(x).view(n, -1);
    }

    /// <summary>A fresh key/value cache for <see cref="DecodeStep"/>, one entry per decoder layer.</summary>
    public TigerDecoderCache NewCache() => new(decoder.Count);

    /// <summary>Scores of every code token [..., CodeTokens] of hidden states [..., D].</summary>
    public Tensor Logits(Tensor hidden) => output.forward(hidden);

    /// <summary>
    /// Log-probabilities [N, cardinality] of level <paramref name="level"/>'s codes from hidden states [N, D]: the
    /// output layer's rows of that level only, then a log-softmax over them (what slicing <see cref="Logits"/> gives,
    /// without scoring the other levels).
    /// </summary>
    public Tensor LevelLogProbs(Tensor hidden, int level)
    {
        long offset = _tokens.Offset(level), card = _tokens.Cardinality(level);
        return nn.functional.linear(hidden, output.weight!.narrow(0, offset, card), output.bias!.narrow(0, offset, card)).log_softmax(1);
    }

    /// <summary>Item vectors [NumItems, D]: the sum of each item's code-token rows (what similar-item search compares).</summary>
    public Tensor ItemVectors()
    {
        var codes = _tokens.Codes;
        var rows = new long[(long)codes.NumItems * codes.Width];
        for (int i = 0; i < codes.NumItems; i++)
        {
            var tuple = codes.Of(i);
            for (int c = 0; c < codes.Width; c++) rows[(long)i * codes.Width + c] = _tokens.Code(c, tuple[c]);
        }
        return token_embedding.index_select(0, tensor(rows, device: token_embedding.device)).view(codes.NumItems, codes.Width, -1).sum(1);
    }

    /// <summary>The decoder's causal mask [T, T] (true = a later position), built once per length and device and owned by the network.</summary>
    public Tensor Causal(long t, Device device)
    {
        var key = (t, device.ToString());
        if (_causal.TryGetValue(key, out var m)) return m;
        m = ones(t, t, dtype: ScalarType.Bool, device: device).triu(1).DetachFromDisposeScope();
        _causal[key] = m;
        return m;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var m in _causal.Values) m.Dispose();
            _causal.Clear();
        }
        base.Dispose(disposing);
    }
}
