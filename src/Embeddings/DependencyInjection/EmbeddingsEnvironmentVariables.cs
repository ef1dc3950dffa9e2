namespace Embeddings.DependencyInjection;

/// <summary>The environment variables <c>AddEmbeddings()</c> reads (those of the Python deployment, plus the text
/// model's), and the configuration keys they set.</summary>
internal static class EmbeddingsEnvironmentVariables
{
    public const string VisualMode = "VISUAL_EMBEDDING_MODE";
    public const string VisualEnabled = "VISUAL_EMBEDDING_ENABLED";
    public const string VisualModel = "VISUAL_EMBEDDING_PRIMARY_MODEL";
    public const string TextModel = "EMBEDDINGS_TEXT_MODEL";
    public const string ApiKey = "HUGGINGFACE_API_KEY";
    public const string HfToken = "HF_TOKEN";
    public const string ApiUrl = "HUGGINGFACE_API_URL";
    public const string RemoteModel = "HUGGINGFACE_SIGLIP_MODEL";
    public const string BatchSize = "HUGGINGFACE_BATCH_SIZE";
    public const string RemoteTimeout = "HUGGINGFACE_TIMEOUT";
    public const string MaxRetries = "HUGGINGFACE_MAX_RETRIES";

    public const string VisualModeKey = "Embeddings:Visual:Mode";
    public const string VisualEnabledKey = "Embeddings:Visual:Enabled";
    public const string VisualModelKey = "Embeddings:Visual:Model";
    public const string TextModelKey = "Embeddings:Text:Model";
    public const string ApiUrlKey = "Embeddings:Remote:BaseUrl";
    public const string RemoteModelKey = "Embeddings:Remote:ModelId";
    public const string BatchSizeKey = "Embeddings:Remote:BatchSize";
    public const string TimeoutKey = "Embeddings:Remote:Timeout";
    public const string MaxRetriesKey = "Embeddings:Remote:MaxRetries";
    public const string AssumeCompatibleKey = "Embeddings:Fallback:AssumeCompatible";
}
