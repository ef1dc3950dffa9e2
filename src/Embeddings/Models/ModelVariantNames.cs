namespace Embeddings.Models;

/// <summary>Maps <see cref="ModelVariant"/> to and from the file-name suffixes the hub exports use.</summary>
internal static class ModelVariantNames
{
    private static readonly ModelVariant[] s_all = Enum.GetValues<ModelVariant>();

    /// <summary>Gets every variant, full precision first.</summary>
    public static IReadOnlyList<ModelVariant> All => s_all;

    /// <summary>Gets the suffix added to the base file name, for example <c>_fp16</c>; empty for fp32.</summary>
    public static string Suffix(ModelVariant variant) => variant switch
    {
        ModelVariant.Fp32 => "",
        ModelVariant.Fp16 => "_fp16",
        ModelVariant.Quantized => "_quantized",
        ModelVariant.Int8 => "_int8",
        ModelVariant.Uint8 => "_uint8",
        ModelVariant.Q4 => "_q4",
        ModelVariant.Q4F16 => "_q4f16",
        ModelVariant.Bnb4 => "_bnb4",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown model variant."),
    };

    /// <summary>Gets the short name used in messages (<c>fp32</c>, <c>fp16</c>, <c>quantized</c>, ...).</summary>
    public static string DisplayName(ModelVariant variant) => variant == ModelVariant.Fp32 ? "fp32" : Suffix(variant)[1..];

    /// <summary>Gets the repository path of a variant of an ONNX file, for example <c>onnx/text_model_q4.onnx</c>.</summary>
    /// <param name="folder">The folder, for example <c>onnx</c>.</param>
    /// <param name="baseName">The file name without suffix or extension, for example <c>text_model</c>.</param>
    /// <param name="variant">The variant.</param>
    public static string FilePath(string folder, string baseName, ModelVariant variant) =>
        $"{folder}/{baseName}{Suffix(variant)}.onnx";

    /// <summary>
    /// Recognises a file name as a variant of <paramref name="baseName"/>: <c>text_model_fp16.onnx</c> is the
    /// fp16 variant of <c>text_model</c>. Returns <see langword="false"/> for other files and for exports with
    /// suffixes this library does not name (they are reported as they are).
    /// </summary>
    public static bool TryParse(string fileName, string baseName, out ModelVariant variant)
    {
        variant = default;
        if (!fileName.StartsWith(baseName, StringComparison.Ordinal) || !fileName.EndsWith(".onnx", StringComparison.Ordinal))
        {
            return false;
        }

        string suffix = fileName[baseName.Length..^".onnx".Length];
        foreach (ModelVariant candidate in s_all)
        {
            if (Suffix(candidate) == suffix)
            {
                variant = candidate;
                return true;
            }
        }

        return false;
    }
}
