using Embeddings.Imaging;
using Embeddings.Models;

namespace Embeddings.Local;

/// <summary>The image preprocessing of a model.</summary>
public sealed partial class LocalOnnxProvider
{
    private static ImagePreprocessor CreateImageSource(ModelDescription description, LocalOnnxProviderOptions options)
    {
        string path = description.PreprocessorConfigPath
            ?? throw new EmbeddingModelException(description.ModelId, $"Model '{description.ModelId}' has an image model but no preprocessor_config.json.");
        return new ImagePreprocessor(ImagePreprocessorConfig.Load(path), options.ImageDecoding);
    }
}
