using Recsys.Models;

namespace Recsys.Cli.Commands;

/// <summary>The command-line names of <see cref="NgcfVariant"/> (recsys train --variant, recsys bench train --ngcf-variant).</summary>
internal static class NgcfVariantNames
{
    public static readonly string[] All = ["paper", "code", "tf"];

    public static NgcfVariant Parse(string? name) => name switch
    {
        null or "paper" => NgcfVariant.Paper,
        "code" => NgcfVariant.Code,
        "tf" => NgcfVariant.TensorFlow,
        _ => throw new ArgumentOutOfRangeException("--variant", name, "expected paper, code or tf."),
    };
}
