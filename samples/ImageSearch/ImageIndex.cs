using System.Numerics.Tensors;
using Embeddings;

namespace ImageSearch;

/// <summary>An in-memory vector index of image files: what a vector database does, small enough to read.</summary>
internal sealed class ImageIndex
{
    private static readonly string[] s_extensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif", ".heic"];

    private readonly List<(string Path, float[] Vector)> _entries = [];

    /// <summary>Gets how many images the index holds.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets the images that could not be embedded, with the reason.</summary>
    public List<(string Path, string Reason)> Skipped { get; } = [];

    /// <summary>Embeds every image file in <paramref name="folder"/> and adds it to the index.</summary>
    public static async Task<ImageIndex> BuildAsync(IEmbeddingProvider provider, string folder, CancellationToken cancellationToken)
    {
        string[] files = [.. Directory.EnumerateFiles(folder)
            .Where(f => s_extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];

        var index = new ImageIndex();
        int i = 0;

        // Streaming keeps at most two batches of decoded images in memory, however large the folder.
        await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Inputs(files), batchSize: 16, cancellationToken: cancellationToken))
        {
            string file = files[i++];
            if (result.Succeeded)
            {
                index._entries.Add((file, result.Vector.ToArray()));
            }
            else
            {
                // One unreadable file does not stop the others.
                index.Skipped.Add((file, result.Error!.Message));
            }
        }

        return index;
    }

    /// <summary>Ranks the indexed images by cosine similarity to <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<SearchHit> Search(ReadOnlyMemory<float> query, int top) =>
        [.. _entries
            .Select(e => new SearchHit(e.Path, TensorPrimitives.CosineSimilarity(query.Span, e.Vector)))
            .OrderByDescending(h => h.Score)
            .Take(top)];

    private static async IAsyncEnumerable<EmbeddingInput> Inputs(string[] files)
    {
        foreach (string file in files)
        {
            yield return EmbeddingInput.FromImageFile(file, name: Path.GetFileName(file));
        }

        await Task.CompletedTask;
    }
}
