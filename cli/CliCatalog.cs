using Recsys.Catalog;
using Recsys.Embeddings.Dnis;
using Recsys.Embeddings.GraphHash;
using Recsys.Models;
using Recsys.Tables;
using Recsys.Tables.SemanticId;

namespace Recsys.Cli;

/// <summary>The composition root's catalog: every model and table kind the projects of this repository implement.</summary>
public static class CliCatalog
{
    /// <summary>A new catalog with the graph models (mf, lightgcn, ngcf, kgat), the sequential models (sasrec, twotower, grank), full tables, the hashed tables, the semantic-ID tables and the DNIS tables (dnis, mixed-dim).</summary>
    public static RecsysCatalog Standard() => new RecsysCatalog().AddGraphModels().AddSequentialModels().AddFullTable().AddHashedTables().AddSemanticIdTables().AddDnisTables();
}
