using Microsoft.Extensions.Options;

namespace Embeddings.Remote;

/// <summary>Checks the DataAnnotations of <see cref="HuggingFaceProviderOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class HuggingFaceProviderOptionsValidator : IValidateOptions<HuggingFaceProviderOptions>;
