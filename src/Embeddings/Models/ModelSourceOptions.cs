namespace Embeddings.Models;

/// <summary>
/// Where model files come from: the Hugging Face hub cache, the hub endpoint and credentials, the revision and the
/// ONNX variant. Every unset value falls back to the environment variables the Python tools read, so folders they
/// downloaded are reused; values set here win over the environment.
/// </summary>
/// <remarks>
/// A model is named by a local folder (used as it is, never written to) or by a hub id such as
/// <c>onnx-community/embeddinggemma-300m-ONNX</c>, which is resolved through the cache and downloaded when missing
/// and the cache is not offline. Only the files the chosen layout and variant need are downloaded.
/// </remarks>
public sealed class ModelSourceOptions
{
    /// <summary>
    /// Gets or sets the hub cache folder (the one holding <c>models--{org}--{name}</c> folders).
    /// Default: <c>HF_HUB_CACHE</c>, else <c>HUGGINGFACE_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else
    /// <c>~/.cache/huggingface/hub</c>.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Gets or sets the hub endpoint files are downloaded from (<c>{endpoint}/{repo}/resolve/{revision}/{path}</c>).
    /// Default: <c>HF_ENDPOINT</c>, else <c>https://huggingface.co</c>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets or sets the access token for private or gated repositories, sent as a bearer token to the endpoint's host
    /// only (never to the hosts downloads are redirected to) and never logged.
    /// Default: <c>HF_TOKEN</c>, else <c>HUGGINGFACE_API_KEY</c>, else the file <c>HF_TOKEN_PATH</c> or
    /// <c>$HF_HOME/token</c>.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Gets or sets whether the network is never used: hub ids resolve from the cache only.
    /// Default: <see langword="true"/> when <c>HF_HUB_OFFLINE</c> or <c>TRANSFORMERS_OFFLINE</c> is <c>1</c>
    /// (or <c>true</c>, <c>yes</c>, <c>on</c>), otherwise <see langword="false"/>.
    /// </summary>
    public bool? Offline { get; set; }

    /// <summary>
    /// Gets or sets the hub revision: a branch, a tag or a 40-character commit id. Default: <c>main</c>.
    /// Ignored for local folders.
    /// </summary>
    public string? Revision { get; set; }

    /// <summary>
    /// Gets or sets which precision of the ONNX export to load. Default: <see cref="ModelVariant.Fp32"/>
    /// (<c>model.onnx</c>). A variant the model does not have is an error that lists the variants it has.
    /// </summary>
    public ModelVariant Variant { get; set; } = ModelVariant.Fp32;
}
