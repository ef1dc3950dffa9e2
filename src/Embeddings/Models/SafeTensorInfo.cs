namespace Embeddings.Models;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="DType">The element type as written (<c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>I64</c>, ...).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Begin">The first byte, relative to the data section.</param>
/// <param name="End">One past the last byte, relative to the data section.</param>
internal sealed record SafeTensorInfo(string DType, IReadOnlyList<long> Shape, long Begin, long End);
