using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Embeddings.TestSupport;

/// <summary>
/// A real PostgreSQL server in a temporary data folder, on a free loopback port, with password authentication over
/// TCP. It can be stopped and started again on the same port (a database outage).
/// </summary>
/// <remarks>
/// <para>The binaries are those of <c>PG_BIN_DIR</c>, else the newest <c>/usr/lib/postgresql/*/bin</c> (Debian's
/// postgresql package; eng/prerequisites.sh installs it), else <c>initdb</c> and <c>pg_ctl</c> on the PATH.</para>
/// <para>PostgreSQL refuses to run as root: as root (CI) the server runs as the <c>postgres</c> user through
/// <c>runuser</c>, in a folder that user owns.</para>
/// </remarks>
internal sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string User = "embeddings";

    // A secret the tests look for in logs and exception messages: it must never appear there.
    public const string Password = "usage-test-password-7c2e9f";

    private readonly string _root;
    private readonly string _binDir;
    private readonly bool _asPostgresUser;
    private int _databases;

    private PostgreSqlServer(string root, string binDir, bool asPostgresUser, int port)
    {
        _root = root;
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>Gets the TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets whether the server is running (as far as this object knows).</summary>
    public bool IsRunning { get; private set; }

    private string DataDir => Path.Combine(_root, "data");

    /// <summary>Initializes a data folder and starts the server; waits until it accepts connections.</summary>
    public static async Task<PostgreSqlServer> StartAsync(CancellationToken cancellationToken = default)
    {
        string binDir = FindBinDir();
        bool asPostgresUser = GetEffectiveUserId() == 0;
        string root = Directory.CreateTempSubdirectory("embeddings-pg-").FullName;
        var server = new PostgreSqlServer(root, binDir, asPostgresUser, FreePort());
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["postgres:postgres", root], cancellationToken);
            }

            string passwordFile = Path.Combine(root, "pwfile");
            await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken);
            await server.RunPostgresToolAsync(
                "initdb",
                ["-D", server.DataDir, "-U", User, "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
                cancellationToken);
            File.Delete(passwordFile);
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gets a connection string for a database, with the server's password.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>Creates a fresh database (so a test can use the table name <c>ai_calls</c> on its own) and returns
    /// its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        string name = "test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: sessions are closed); clients then get connection errors.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDir, "-m", "fast", "-w", "stop"], cancellationToken);
        IsRunning = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the server on its port and waits until it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        string settings = string.Join(' ',
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", _root,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off");
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDir, "-o", settings, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
        IsRunning = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try
            {
                await RunPostgresToolAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            IsRunning = false;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_binDir, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments.Take(3))} … exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static string FindBinDir()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            string? newest = Directory.EnumerateDirectories(debianRoot)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return Path.Combine(newest, "bin");
            }
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL's initdb and pg_ctl were not found; install the Debian package postgresql (eng/prerequisites.sh) or set PG_BIN_DIR.");
    }

    private static int GetEffectiveUserId()
    {
        // /proc/self/status: "Uid:\treal\teffective\tsaved\tfs".
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            string[]? fields = line?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } ? int.Parse(fields[2], CultureInfo.InvariantCulture) : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
