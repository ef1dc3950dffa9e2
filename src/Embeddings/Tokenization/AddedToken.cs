namespace Embeddings.Tokenization;

/// <summary>A token added on top of the model's vocabulary (tokenizer.json <c>added_tokens</c>).</summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool Normalized, bool LeftStrip, bool RightStrip, bool SingleWord);
