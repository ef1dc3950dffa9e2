using Microsoft.Extensions.Options;
using Npgsql;

namespace Embeddings.Usage.PostgreSql;

/// <summary>Checks the rules of <see cref="PostgreSqlUsageRecorderOptions"/> that DataAnnotations cannot express.</summary>
internal sealed class PostgreSqlUsageRecorderOptionsCustomValidator : IValidateOptions<PostgreSqlUsageRecorderOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlUsageRecorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException)
            {
                // Npgsql's message can quote the offending part of the string, which may hold the password.
                builder.AddError("The ConnectionString is not a valid Npgsql connection string.", nameof(PostgreSqlUsageRecorderOptions.ConnectionString));
            }
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            builder.AddError(
                $"{nameof(PostgreSqlUsageRecorderOptions.MaxRetryDelay)} must not be shorter than {nameof(PostgreSqlUsageRecorderOptions.RetryDelay)}.",
                nameof(PostgreSqlUsageRecorderOptions.MaxRetryDelay));
        }

        return builder.Build();
    }
}
