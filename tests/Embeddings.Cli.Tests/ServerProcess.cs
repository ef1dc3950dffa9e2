using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Embeddings.Cli;

/// <summary>A server started as a separate process (the sample, or <c>embeddings serve</c>) on a free loopback port,
/// waited for until <c>/health/ready</c> answers 200, and killed when disposed.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server; <paramref name="args"/> and <paramref name="environment"/> receive the port.</summary>
    public static async Task<ServerProcess> StartAsync(
        string dll, Func<int, IEnumerable<string>> args, Func<int, IReadOnlyDictionary<string, string>> environment, CancellationToken cancellationToken)
    {
        int port = FreePort();
        Process process = CliProcess.Start(dll, args(port), environment(port), redirectInput: false);
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var ready = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"The server exited with {process.ExitCode}: {server.Output}");
            }

            try
            {
                using HttpResponseMessage response = await ready.GetAsync("health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Busy loading the model.
            }

            await Task.Delay(100, cancellationToken);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The server did not become ready: {server.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
