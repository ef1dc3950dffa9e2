using System.Text.RegularExpressions;
using Embeddings.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Embeddings.Usage.PostgreSql;

/// <summary>The usage table: its migration script and the binary <c>COPY</c> that fills it.</summary>
internal sealed partial class UsageTable
{
    private const string ScriptResource = "Embeddings.Usage.PostgreSql.ai_calls.sql";
    private const string ScriptTableName = PostgreSqlUsageRecorderDefaults.TableName;

    private static readonly Lazy<string> s_script = new(ReadScript);

    public UsageTable(string qualifiedName)
    {
        ArgumentException.ThrowIfNullOrEmpty(qualifiedName);
        Name = qualifiedName;
        CreateScript = ScriptFor(qualifiedName);
        CopyCommand =
            $"""COPY {qualifiedName} ("timestamp", provider, model, task, modality, endpoint, inputs, succeeded, latency_ms, attempts, outcome, failure_kind, status_code, fallback_reason, input_tokens, cost) FROM STDIN (FORMAT BINARY)""";
    }

    /// <summary>Gets the table's name as configured (possibly schema-qualified).</summary>
    public string Name { get; }

    /// <summary>Gets the migration (<c>sql/ai_calls.sql</c>) for this table's name.</summary>
    public string CreateScript { get; }

    /// <summary>Gets the <c>COPY</c> command that writes rows.</summary>
    public string CopyCommand { get; }

    /// <summary>Gets the shipped migration, written for the default table name.</summary>
    public static string DefaultScript => s_script.Value;

    /// <summary>Rewrites the shipped migration for another table name: the table (possibly schema-qualified) and its
    /// index names, which PostgreSQL places in the table's schema.</summary>
    public static string ScriptFor(string qualifiedName)
    {
        if (qualifiedName == ScriptTableName)
        {
            return DefaultScript;
        }

        string bareName = qualifiedName[(qualifiedName.LastIndexOf('.') + 1)..];
        string script = IndexNameRegex().Replace(DefaultScript, m => bareName + "_" + m.Groups[1].Value);
        return TableNameRegex().Replace(script, qualifiedName);
    }

    /// <summary>Creates the table and its indexes if missing. An advisory lock serializes processes that start at
    /// once: concurrent <c>CREATE TABLE IF NOT EXISTS</c> can otherwise fail on PostgreSQL's catalog.</summary>
    public async Task EnsureCreatedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = "Embeddings.Usage.PostgreSql:" + Name });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(CreateScript, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes records in one binary <c>COPY</c>: all of them or, on error, none.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<EmbeddingUsageRecord> records, int start, int count, CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken).ConfigureAwait(false);
        for (int i = start; i < start + count; i++)
        {
            EmbeddingUsageRecord r = records[i];
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);

            // timestamptz takes UTC only; a record may carry any offset.
            await importer.WriteAsync(r.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.ProviderName, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.ModelId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.TaskName, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(UsageColumnValues.Modality(r.Modality), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.Endpoint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.Inputs, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.Succeeded, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.Latency.TotalMilliseconds, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.Attempts, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(UsageColumnValues.Outcome(r.Outcome), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.FailureKind is { } kind ? UsageColumnValues.FailureKind(kind) : null, cancellationToken).ConfigureAwait(false);
            await WriteIntegerAsync(importer, r.StatusCode, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.FallbackReason, cancellationToken).ConfigureAwait(false);
            await WriteIntegerAsync(importer, r.InputTokens, cancellationToken).ConfigureAwait(false);
            if (r.Cost is { } cost)
            {
                await importer.WriteAsync(cost, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteIntegerAsync(NpgsqlBinaryImporter importer, int? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Integer, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static string ReadScript()
    {
        using Stream stream = typeof(UsageTable).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"The embedded resource {ScriptResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\bai_calls_(\w+_idx)\b")]
    private static partial Regex IndexNameRegex();

    [GeneratedRegex(@"\bai_calls\b")]
    private static partial Regex TableNameRegex();
}
