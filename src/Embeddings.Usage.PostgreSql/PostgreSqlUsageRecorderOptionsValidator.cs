using Microsoft.Extensions.Options;

namespace Embeddings.Usage.PostgreSql;

/// <summary>Checks the DataAnnotations of <see cref="PostgreSqlUsageRecorderOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlUsageRecorderOptionsValidator : IValidateOptions<PostgreSqlUsageRecorderOptions>;
