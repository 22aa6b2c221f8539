using Recsys.Catalog;

namespace Recsys.Models;

public static partial class GraphModelKinds
{
    /// <summary>Registers MF-BPR as "mf" (aliases "mf-bpr", "bpr"); the official LightGCN code's trainer settings.</summary>
    public static RecsysCatalog AddMf(this RecsysCatalog catalog) => catalog.AddModel(ModelKind.Create<MfOptions>(
        "mf", "Matrix factorisation trained with BPR (Rendle et al. 2009).", aliases: ["mf-bpr", "bpr"]));
}
