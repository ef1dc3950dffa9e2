using Microsoft.Extensions.Options;

namespace Embeddings.DependencyInjection;

/// <summary>Checks the DataAnnotations of <see cref="EmbeddingsOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class EmbeddingsOptionsValidator : IValidateOptions<EmbeddingsOptions>;
