using Embeddings.Models;

namespace Embeddings.Local;

/// <summary>The image preprocessing of a model.</summary>
public sealed partial class LocalOnnxProvider
{
    private static IImageTensorSource? CreateImageSource(ModelDescription description, LocalOnnxProviderOptions options)
    {
        // Until the imaging component is available, models load their text side only.
        _ = description;
        _ = options;
        return null;
    }
}
