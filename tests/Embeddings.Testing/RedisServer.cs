using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Embeddings.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence, for tests and benchmarks. It can be
/// stopped, restarted on the same port, and paused (SIGSTOP) to play a cache that hangs.
/// </summary>
/// <remarks>The executable is <c>redis-server</c> on the PATH, or the one named by the <c>REDIS_SERVER</c>
/// environment variable (eng/prerequisites.sh installs the Debian package).</remarks>
internal sealed partial class RedisServer : IAsyncDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port)
    {
        Port = port;
    }

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort());
            try
            {
                await server.RestartAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between probing and binding.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Creates a client cache for this server.</summary>
    public RespDistributedCache CreateCache(int maxConnections = 8, TimeSpan? commandTimeout = null) =>
        new(Port, maxConnections, commandTimeout);

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("REDIS_SERVER") is { Length: > 0 } path ? path : "redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--save", string.Empty, "--appendonly", "no", "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--daemonize", "no", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                "redis-server was not found; install the Debian package redis-server (eng/prerequisites.sh) or set REDIS_SERVER.", ex);
        }

        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = CreateCache(maxConnections: 1, commandTimeout: TimeSpan.FromSeconds(1));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await client.ExecuteAsync(cancellationToken, "PING") as string == "PONG")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
                if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
                {
                    string output;
                    lock (_output)
                    {
                        output = _output.ToString();
                    }

                    Stop();
                    throw new InvalidOperationException($"redis-server did not answer on port {Port}: {output}", ex);
                }
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Kills the server; clients then get connection errors.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigCont); // A paused process must run to die promptly.
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Suspends the server: connections stay open but nothing is answered.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>Resumes a paused server.</summary>
    public void Resume() => Signal(SigCont);

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void Signal(int signal)
    {
        if (_process is null || Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not signal redis-server (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
