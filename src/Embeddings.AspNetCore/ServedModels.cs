namespace Embeddings.AspNetCore;

/// <summary>The providers a server resolved at start-up, each behind its batcher, or why they could not be.</summary>
internal sealed class ServedModels
{
    private ServedModels(DynamicBatcher? text, DynamicBatcher? image, Exception? failure)
    {
        Text = text;
        Image = image;
        Failure = failure;
    }

    /// <summary>Gets the batcher in front of the text provider, if one is served.</summary>
    public DynamicBatcher? Text { get; }

    /// <summary>Gets the batcher in front of the image provider (the text one's when they are the same provider).</summary>
    public DynamicBatcher? Image { get; }

    /// <summary>Gets why the providers could not be started, if they could not.</summary>
    public Exception? Failure { get; }

    /// <summary>Gets every distinct batcher.</summary>
    public IEnumerable<DynamicBatcher> Batchers => Text is null ? Image is null ? [] : [Image]
        : Image is null || ReferenceEquals(Text, Image) ? [Text] : [Text, Image];

    public static ServedModels Started(DynamicBatcher? text, DynamicBatcher? image) => new(text, image, null);

    public static ServedModels Failed(Exception failure) => new(null, null, failure);
}
