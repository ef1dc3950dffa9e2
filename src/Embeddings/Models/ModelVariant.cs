namespace Embeddings.Models;

/// <summary>
/// Which precision of an ONNX export to load, named after the file suffixes onnx-community and Xenova publish
/// (<c>onnx/model.onnx</c>, <c>onnx/model_fp16.onnx</c>, <c>onnx/vision_model_quantized.onnx</c>, ...).
/// </summary>
public enum ModelVariant
{
    /// <summary>Full precision: <c>model.onnx</c> (no suffix). The default.</summary>
    Fp32,

    /// <summary>Half precision: <c>*_fp16.onnx</c>.</summary>
    Fp16,

    /// <summary>8-bit quantized: <c>*_quantized.onnx</c> (transformers.js calls it <c>q8</c>).</summary>
    Quantized,

    /// <summary>Signed 8-bit quantized: <c>*_int8.onnx</c>.</summary>
    Int8,

    /// <summary>Unsigned 8-bit quantized: <c>*_uint8.onnx</c>.</summary>
    Uint8,

    /// <summary>4-bit weights: <c>*_q4.onnx</c>.</summary>
    Q4,

    /// <summary>4-bit weights with half-precision activations: <c>*_q4f16.onnx</c>.</summary>
    Q4F16,

    /// <summary>4-bit bitsandbytes-style weights: <c>*_bnb4.onnx</c>.</summary>
    Bnb4,
}
