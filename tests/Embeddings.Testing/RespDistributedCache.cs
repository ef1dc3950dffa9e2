using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace Embeddings.TestSupport;

/// <summary>
/// A minimal <see cref="IDistributedCache"/> over Redis, speaking RESP2 itself (GET, SET with PX, DEL, PEXPIRE,
/// GETRANGE), with pooled connections and per-command timeouts. It stands in for Microsoft's Redis cache, which
/// cannot be restored here.
/// </summary>
/// <remarks>
/// Each value is stored behind a 16-byte header: the sliding expiration and the absolute deadline in milliseconds, so
/// that a read can renew a sliding entry without exceeding its absolute deadline.
/// </remarks>
internal sealed class RespDistributedCache : IDistributedCache, IDisposable
{
    private const int HeaderBytes = 16;

    private readonly EndPoint _endPoint;
    private readonly TimeSpan _commandTimeout;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<Connection> _idle = [];
    private int _opened;
    private int _disposed;

    public RespDistributedCache(int port, int maxConnections = 8, TimeSpan? commandTimeout = null)
    {
        _endPoint = new IPEndPoint(IPAddress.Loopback, port);
        _commandTimeout = commandTimeout ?? TimeSpan.FromSeconds(5);
        _slots = new SemaphoreSlim(maxConnections, maxConnections);
    }

    /// <summary>Gets how many connections were opened in total.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (await ExecuteAsync(token, "GET", key).ConfigureAwait(false) is not byte[] stored)
        {
            return null;
        }

        if (stored.Length < HeaderBytes)
        {
            throw new InvalidDataException("A value without the header this client writes.");
        }

        await RenewAsync(key, stored, token).ConfigureAwait(false);
        return stored[HeaderBytes..];
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long deadline = options.AbsoluteExpiration?.ToUnixTimeMilliseconds()
            ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + (long)relative.TotalMilliseconds : 0);
        long sliding = options.SlidingExpiration is { } s ? (long)s.TotalMilliseconds : 0;

        byte[] stored = new byte[HeaderBytes + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(stored, sliding);
        BinaryPrimitives.WriteInt64LittleEndian(stored.AsSpan(8), deadline);
        value.CopyTo(stored, HeaderBytes);

        long? ttl = TimeToLive(sliding, deadline, now);
        if (ttl is { } ms)
        {
            await ExecuteAsync(token, "SET", key, stored, "PX", Number(Math.Max(1, ms))).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(token, "SET", key, stored).ConfigureAwait(false);
        }
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (await ExecuteAsync(token, "GETRANGE", key, "0", Number(HeaderBytes - 1)).ConfigureAwait(false) is byte[] { Length: HeaderBytes } header)
        {
            await RenewAsync(key, header, token).ConfigureAwait(false);
        }
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await ExecuteAsync(token, "DEL", key).ConfigureAwait(false);
    }

    /// <summary>Sends any command; returns a string (simple reply), a long, a byte array, null, or an object array.</summary>
    public Task<object?> ExecuteAsync(CancellationToken cancellationToken, params object[] arguments) =>
        ExecuteCoreAsync(arguments, cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out Connection? connection))
        {
            connection.Dispose();
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long? TimeToLive(long sliding, long deadline, long now)
    {
        long? ttl = sliding > 0 ? sliding : null;
        if (deadline > 0)
        {
            long untilDeadline = deadline - now;
            ttl = ttl is { } t ? Math.Min(t, untilDeadline) : untilDeadline;
        }

        return ttl;
    }

    private async Task RenewAsync(string key, byte[] header, CancellationToken token)
    {
        long sliding = BinaryPrimitives.ReadInt64LittleEndian(header);
        if (sliding <= 0)
        {
            return;
        }

        long deadline = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        long ttl = TimeToLive(sliding, deadline, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())!.Value;
        await ExecuteAsync(token, "PEXPIRE", key, Number(Math.Max(1, ttl))).ConfigureAwait(false);
    }

    private async Task<object?> ExecuteCoreAsync(object[] arguments, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_commandTimeout);
        await _slots.WaitAsync(timeout.Token).ConfigureAwait(false);
        Connection? connection = null;
        bool reusable = false;
        try
        {
            if (!_idle.TryTake(out connection))
            {
                connection = await Connection.OpenAsync(_endPoint, timeout.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _opened);
            }

            object? reply = await connection.SendAsync(arguments, timeout.Token).ConfigureAwait(false);
            reusable = true;
            return reply is RespError error ? throw new InvalidOperationException("Redis replied: " + error.Message) : reply;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The Redis command {arguments[0]} did not complete within {_commandTimeout}.");
        }
        finally
        {
            // A connection that failed or timed out mid-reply is in an unknown state: it is closed, not reused.
            if (connection is not null)
            {
                if (reusable && Volatile.Read(ref _disposed) == 0)
                {
                    _idle.Add(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }

            _slots.Release();
        }
    }

    private sealed record RespError(string Message);

    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        private Connection(Socket socket)
        {
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: true);
        }

        public static async Task<Connection> OpenAsync(EndPoint endPoint, CancellationToken cancellationToken)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                return new Connection(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public async Task<object?> SendAsync(object[] arguments, CancellationToken cancellationToken)
        {
            await _stream.WriteAsync(Encode(arguments), cancellationToken).ConfigureAwait(false);
            return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        public void Dispose() => _stream.Dispose();

        private static byte[] Encode(object[] arguments)
        {
            using var command = new MemoryStream();
            WriteLine(command, $"*{arguments.Length}");
            foreach (object argument in arguments)
            {
                byte[] bytes = argument as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(argument, CultureInfo.InvariantCulture)!);
                WriteLine(command, $"${bytes.Length}");
                command.Write(bytes);
                command.Write("\r\n"u8);
            }

            return command.ToArray();
        }

        private static void WriteLine(MemoryStream stream, string line)
        {
            stream.Write(Encoding.ASCII.GetBytes(line));
            stream.Write("\r\n"u8);
        }

        private async Task<object?> ReadReplyAsync(CancellationToken cancellationToken)
        {
            string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            char type = line[0];
            string rest = line[1..];
            switch (type)
            {
                case '+':
                    return rest;
                case '-':
                    return new RespError(rest);
                case ':':
                    return long.Parse(rest, CultureInfo.InvariantCulture);
                case '$':
                    int length = int.Parse(rest, CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return null;
                    }

                    await FillAsync(length + 2, cancellationToken).ConfigureAwait(false);
                    byte[] bulk = _buffer.AsSpan(_start, length).ToArray();
                    _start += length + 2;
                    return bulk;
                case '*':
                    int count = int.Parse(rest, CultureInfo.InvariantCulture);
                    if (count < 0)
                    {
                        return null;
                    }

                    object?[] items = new object?[count];
                    for (int i = 0; i < count; i++)
                    {
                        items[i] = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return items;
                default:
                    throw new InvalidDataException($"Unexpected RESP reply type '{type}'.");
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            int scanned = 0;
            while (true)
            {
                int newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf("\r\n"u8);
                if (newline >= 0)
                {
                    string line = Encoding.ASCII.GetString(_buffer, _start, scanned + newline);
                    _start += scanned + newline + 2;
                    return line;
                }

                scanned = Math.Max(0, _end - _start - 1);
                await FillAsync(_end - _start + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Reads until at least <paramref name="count"/> unread bytes are buffered.</summary>
        private async Task FillAsync(int count, CancellationToken cancellationToken)
        {
            if (_end - _start >= count)
            {
                return;
            }

            if (_buffer.Length - _start < count)
            {
                byte[] next = _buffer.Length >= count * 2 ? _buffer : new byte[Math.Max(count * 2, _buffer.Length)];
                Buffer.BlockCopy(_buffer, _start, next, 0, _end - _start);
                _end -= _start;
                _start = 0;
                _buffer = next;
            }

            while (_end - _start < count)
            {
                int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("Redis closed the connection.");
                }

                _end += read;
            }
        }
    }
}
