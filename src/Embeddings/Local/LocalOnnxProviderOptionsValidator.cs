using Microsoft.Extensions.Options;

namespace Embeddings.Local;

/// <summary>Checks the DataAnnotations of <see cref="LocalOnnxProviderOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class LocalOnnxProviderOptionsValidator : IValidateOptions<LocalOnnxProviderOptions>;
