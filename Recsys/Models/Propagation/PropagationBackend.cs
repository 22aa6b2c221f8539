namespace Recsys.Models.Propagation;

/// <summary>How graph models multiply by the normalised adjacency.</summary>
public enum PropagationBackend
{
    /// <summary>C# CSR kernels on CPU tensors, libtorch sparse mm elsewhere (GPU).</summary>
    Auto,
    /// <summary>Always the C# CSR kernels (CPU tensors only).</summary>
    Csr,
    /// <summary>Always libtorch's sparse mm (any device) — the reference path and the benchmark baseline.</summary>
    Torch,
}
