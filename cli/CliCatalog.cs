using Recsys.Catalog;
using Recsys.Embeddings.Dnis;
using Recsys.Embeddings.GraphHash;
using Recsys.Models;
using Recsys.Tables;

namespace Recsys.Cli;

/// <summary>The composition root's catalog: every model and table kind the projects of this repository implement.</summary>
public static class CliCatalog
{
    /// <summary>A new catalog with the graph models (mf, lightgcn, ngcf, kgat), the sequential models (sasrec), full tables, the hashed tables and the DNIS tables (dnis, mixed-dim).</summary>
    public static RecsysCatalog Standard() => new RecsysCatalog().AddGraphModels().AddSequentialModels().AddFullTable().AddHashedTables().AddDnisTables();
}
