using System.Text.Json.Serialization;

namespace Embeddings.Benchmarks.Server;

/// <summary>The peer server's request body: <c>{"query": "..."}</c>.</summary>
internal sealed class BareQuery
{
    [JsonPropertyName("query")]
    public string Query { get; set; } = string.Empty;
}
