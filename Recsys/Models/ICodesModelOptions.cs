namespace Recsys.Models;

/// <summary>
/// Options of a model whose vocabulary is a semantic-ID codes file (TIGER). A caller that indexes the data itself (the
/// quickstart) hands the codes to any such kind through this, without naming the kind.
/// </summary>
public interface ICodesModelOptions
{
    /// <summary>Full path of the codes file ("" when none is named yet).</summary>
    string Codes { get; }

    /// <summary>Lower-case hex SHA-256 of the codes file.</summary>
    string CodesSha256 { get; }

    /// <summary>True when the options already name a codes file.</summary>
    bool HasCodes { get; }

    /// <summary>These options reading the codes file at <paramref name="path"/> (a full path) with SHA-256 <paramref name="sha256"/>.</summary>
    ModelOptions WithCodes(string path, string sha256);
}
