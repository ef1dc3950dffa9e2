namespace Embeddings.Models;

/// <summary>The hub could not be reached at all (no connection, DNS, timeout): the cache may still serve.</summary>
internal sealed class HubUnreachableException(string message, Exception innerException) : Exception(message, innerException);
