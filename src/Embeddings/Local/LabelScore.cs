namespace Embeddings.Local;

/// <summary>A label and how well an image matches it.</summary>
/// <param name="Label">The label, as given.</param>
/// <param name="Score">The score: for zero-shot classification a probability (SigLIP: an independent sigmoid per
/// label; CLIP: a softmax over the labels); for aspects the cosine similarity of the image and label vectors.</param>
public sealed record LabelScore(string Label, float Score);
