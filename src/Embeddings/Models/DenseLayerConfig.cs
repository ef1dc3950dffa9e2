namespace Embeddings.Models;

/// <summary>A sentence-transformers Dense module (<c>2_Dense/config.json</c>) and where its weights are.</summary>
/// <param name="ModulePath">The module folder, for example <c>2_Dense</c>.</param>
/// <param name="InFeatures"><c>in_features</c>.</param>
/// <param name="OutFeatures"><c>out_features</c>.</param>
/// <param name="HasBias"><c>bias</c>.</param>
/// <param name="Activation"><c>activation_function</c>.</param>
/// <param name="WeightsPath">The local <c>model.safetensors</c>, or <see langword="null"/> when the model has none
/// (an ONNX export with a <c>sentence_embedding</c> output already contains the layer and does not need it).</param>
internal sealed record DenseLayerConfig(string ModulePath, int InFeatures, int OutFeatures, bool HasBias, DenseActivation Activation, string? WeightsPath)
{
    /// <summary>Loads <c>linear.weight</c> [out, in] and, with bias, <c>linear.bias</c> [out].</summary>
    /// <param name="model">The model, for error messages.</param>
    /// <exception cref="EmbeddingModelException">There is no weights file, or it does not match this configuration.</exception>
    public DenseLayerWeights LoadWeights(string model)
    {
        if (WeightsPath is null)
        {
            throw new EmbeddingModelException(model,
                $"The Dense module '{ModulePath}' has no {ModulePath}/model.safetensors, and the ONNX model does not include the layer " +
                "(no sentence_embedding output). Only safetensors weights are supported (not pytorch_model.bin).");
        }

        SafeTensorsFile file = SafeTensorsFile.Open(WeightsPath, model);
        float[] weight = file.ReadFloat32("linear.weight", OutFeatures, InFeatures);
        float[]? bias = null;
        if (HasBias)
        {
            bias = file.ReadFloat32("linear.bias", OutFeatures);
        }
        else if (file.Tensors.ContainsKey("linear.bias"))
        {
            throw new EmbeddingModelException(model,
                $"'{WeightsPath}' has a 'linear.bias' tensor, but {ModulePath}/config.json says the layer has no bias.");
        }

        return new DenseLayerWeights(InFeatures, OutFeatures, weight, bias);
    }
}
