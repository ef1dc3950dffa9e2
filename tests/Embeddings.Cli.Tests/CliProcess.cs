using System.Diagnostics;
using System.Reflection;
using System.Text;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>Runs the built tool (or the sample server) as a separate process: <c>dotnet exec</c> of its dll, with a
/// clean environment (no embedding, hub or token variables from the machine running the tests).</summary>
internal static class CliProcess
{
    private static readonly string[] s_clearedVariables =
    [
        "VISUAL_EMBEDDING_MODE", "VISUAL_EMBEDDING_ENABLED", "VISUAL_EMBEDDING_PRIMARY_MODEL", "EMBEDDINGS_TEXT_MODEL", "EMBEDDINGS_MODEL",
        "HUGGINGFACE_API_KEY", "HUGGINGFACE_API_URL", "HUGGINGFACE_SIGLIP_MODEL", "HUGGINGFACE_BATCH_SIZE", "HUGGINGFACE_TIMEOUT",
        "HUGGINGFACE_MAX_RETRIES", "HF_TOKEN", "HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_ENDPOINT", "auth_token",
    ];

    public static string CliDll => Stamped("CliDll");

    public static string SampleServerDll => Stamped("SampleServerDll");

    /// <summary>Runs the tool to completion.</summary>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using Process process = Start(CliDll, args, environment, redirectInput: true);
        Task<byte[]> stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"embeddings {string.Join(' ', args)} did not finish: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a dll with <c>dotnet exec</c>; the caller owns the process.</summary>
    public static Process Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, bool redirectInput)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"'{dll}' was not built (the test project builds it through a project reference).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = TestAssets.RepoRoot,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in s_clearedVariables)
        {
            start.Environment.Remove(name);
        }

        // Nothing may reach the network: hub ids resolve from the cache only.
        start.Environment["HF_HUB_OFFLINE"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> entry in environment)
            {
                start.Environment[entry.Key] = entry.Value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static string Stamped(string key) =>
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;
}
