namespace Embeddings.Remote;

/// <summary>One request's worth of inputs of one modality: positions into the caller's input list.</summary>
/// <param name="Modality">The modality of every input in the batch.</param>
/// <param name="Indices">The positions of the inputs in the caller's list, in order.</param>
internal sealed record RemoteBatch(EmbeddingModalities Modality, int[] Indices);
