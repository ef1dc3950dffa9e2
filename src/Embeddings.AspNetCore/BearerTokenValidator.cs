using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Embeddings.AspNetCore;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;token&gt;</c> against the configured token without leaking it through timing:
/// both sides are hashed with SHA-256 and the hashes compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the position of the first differing character
/// nor the token's length changes how long a refusal takes.
/// </summary>
internal sealed class BearerTokenValidator
{
    private const string Scheme = "Bearer";

    // Headers longer than this are refused before hashing (Kestrel's header limit is larger; a token is not).
    private const int MaxHeaderBytes = 4096;

    private readonly byte[] _expectedHash;

    public BearerTokenValidator(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Checks an <c>Authorization</c> header value.</summary>
    /// <param name="authorization">The header value, or <see langword="null"/> when absent.</param>
    /// <returns>Whether a token was presented and whether it is the configured one.</returns>
    public BearerTokenCheck Check(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return BearerTokenCheck.Missing;
        }

        ReadOnlySpan<char> value = authorization.AsSpan().Trim();
        if (value.Length <= Scheme.Length
            || !value[..Scheme.Length].Equals(Scheme, StringComparison.OrdinalIgnoreCase)
            || value[Scheme.Length] != ' ')
        {
            return BearerTokenCheck.Missing;
        }

        ReadOnlySpan<char> token = value[(Scheme.Length + 1)..].TrimStart(' ');
        if (token.IsEmpty)
        {
            return BearerTokenCheck.Missing;
        }

        int byteCount = Encoding.UTF8.GetMaxByteCount(token.Length);
        if (byteCount > MaxHeaderBytes * 3)
        {
            return BearerTokenCheck.Invalid;
        }

        byte[]? rented = null;
        Span<byte> utf8 = byteCount <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            int written = Encoding.UTF8.GetBytes(token, utf8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..written], hash);
            CryptographicOperations.ZeroMemory(utf8[..written]);
            return CryptographicOperations.FixedTimeEquals(hash, _expectedHash) ? BearerTokenCheck.Valid : BearerTokenCheck.Invalid;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
