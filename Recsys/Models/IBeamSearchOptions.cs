namespace Recsys.Models;

/// <summary>
/// Options of a model that decodes its lists by beam search (TIGER). The beam is a decoding setting, not a weight:
/// a trained run can be served or evaluated with another width (wider: closer to the exact top K, slower) without
/// retraining.
/// </summary>
public interface IBeamSearchOptions
{
    /// <summary>Beam width of the decoding.</summary>
    int Beam { get; }

    /// <summary>These options decoding with beam width <paramref name="beam"/> (≥ 1).</summary>
    ModelOptions WithBeam(int beam);
}
