using Recsys.Catalog;

namespace Recsys.Models;

/// <summary>
/// Registration of the graph collaborative-filtering models this project implements; each model's folder holds its
/// own part of this class (<c>AddMf</c>, <c>AddLightGcn</c>, <c>AddNgcf</c>, <c>AddKgat</c>).
/// </summary>
public static partial class GraphModelKinds
{
    /// <summary>MF-BPR, LightGCN, NGCF and KGAT.</summary>
    public static RecsysCatalog AddGraphModels(this RecsysCatalog catalog) => catalog.AddMf().AddLightGcn().AddNgcf().AddKgat();
}
