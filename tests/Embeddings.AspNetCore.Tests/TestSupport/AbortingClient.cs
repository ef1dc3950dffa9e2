using Embeddings.TestSupport;
using System.Net.Sockets;
using System.Text;

namespace Embeddings.AspNetCore.TestSupport;

/// <summary>
/// Sends a request over a raw socket and can then reset the connection, as a crashed client or a load balancer does.
/// (HttpClient closes gracefully when cancelled; over HTTP/1.1 a graceful half-close is not a disconnect.)
/// </summary>
internal sealed class AbortingClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public static async Task<AbortingClient> SendAsync(Uri baseUrl, string path, string json)
    {
        var client = new AbortingClient();
        await client._socket.ConnectAsync(baseUrl.Host, baseUrl.Port, TestContext.Current.CancellationToken);
        byte[] body = Encoding.UTF8.GetBytes(json);
        string head = $"POST /{path} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nAuthorization: Bearer {ServerHost.Token}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        await client._socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray(), TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Resets the connection (RST, not FIN).</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}
