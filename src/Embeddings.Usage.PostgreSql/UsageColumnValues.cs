using System.Text;
using Embeddings.Diagnostics;

namespace Embeddings.Usage.PostgreSql;

/// <summary>How the record's enums are spelled in the table: lower-case snake_case, stable across renames of the
/// C# names the table has already seen.</summary>
internal static class UsageColumnValues
{
    public static string Modality(EmbeddingModalities modality) => modality switch
    {
        EmbeddingModalities.Text => "text",
        EmbeddingModalities.Image => "image",
        _ => SnakeCase(modality.ToString()),
    };

    public static string Outcome(EmbeddingCallOutcome outcome) => outcome switch
    {
        EmbeddingCallOutcome.Succeeded => "succeeded",
        EmbeddingCallOutcome.Failed => "failed",
        EmbeddingCallOutcome.Cancelled => "cancelled",
        _ => SnakeCase(outcome.ToString()),
    };

    public static string FailureKind(RemoteFailureKind kind) => kind switch
    {
        RemoteFailureKind.Transport => "transport",
        RemoteFailureKind.Timeout => "timeout",
        RemoteFailureKind.HttpStatus => "http_status",
        RemoteFailureKind.RateLimited => "rate_limited",
        RemoteFailureKind.Unauthorized => "unauthorized",
        RemoteFailureKind.MalformedResponse => "malformed_response",
        RemoteFailureKind.CircuitOpen => "circuit_open",
        _ => SnakeCase(kind.ToString()),
    };

    /// <summary>Spells a value added after this package was written: <c>NewKind</c> → <c>new_kind</c>; flags
    /// combinations (<c>Text, Image</c>) → <c>text,image</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c))
            {
                if (builder.Length > 0 && builder[^1] is not ',' and not '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
