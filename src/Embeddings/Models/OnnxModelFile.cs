namespace Embeddings.Models;

/// <summary>One ONNX file to load, with the external-weight files that must sit beside it.</summary>
/// <param name="Path">The local path of the <c>.onnx</c> file.</param>
/// <param name="RepositoryPath">Its path inside the model, for example <c>onnx/text_model_fp16.onnx</c>.</param>
/// <param name="Variant">Its precision.</param>
/// <param name="ExternalDataPaths">Local paths of its external weights (<c>*.onnx_data</c>, <c>*.onnx.data</c>,
/// <c>*.onnx_data_1</c>, ...), in the same folder; empty when the weights are inside the file.</param>
internal sealed record OnnxModelFile(string Path, string RepositoryPath, ModelVariant Variant, IReadOnlyList<string> ExternalDataPaths);
