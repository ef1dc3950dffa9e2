namespace Embeddings.Local;

/// <summary>Options for zero-shot image classification.</summary>
public sealed class ZeroShotOptions
{
    /// <summary>
    /// Gets or sets the sentence each label is put into before it is embedded; <c>{}</c> marks the label.
    /// </summary>
    /// <value>The default is <c>This is a photo of {}.</c>, the template of transformers' zero-shot-image-classification
    /// pipeline.</value>
    public string HypothesisTemplate
    {
        get;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            field = value;
        }
    } = LocalOnnxProviderDefaults.HypothesisTemplate;
}
