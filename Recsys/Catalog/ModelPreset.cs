using Recsys.Models;

namespace Recsys.Catalog;

/// <summary>
/// A named configuration a model kind registers beside its defaults (e.g. GRank's "generator": the generator alone with
/// the query built from the last item, the recipe of its Beauty results), so front ends can offer it by name.
/// </summary>
/// <param name="Name">The name after the kind, as in <c>grank+generator</c>.</param>
/// <param name="Description">What the preset changes, in the words a user reads in help texts.</param>
/// <param name="Apply">Turns options of the kind (its defaults or a user's) into the preset's.</param>
public sealed record ModelPreset(string Name, string Description, Func<ModelOptions, ModelOptions> Apply);
