namespace Embeddings.Cli;

/// <summary>The tool's exit codes (documented in README.md and in <c>embeddings --help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Ok = 0;

    /// <summary>Bad usage or configuration: an unknown option, a missing model folder, an invalid environment variable.</summary>
    public const int Usage = 1;

    /// <summary>The command ran, but some inputs failed (each has its error line); the others were written.</summary>
    public const int SomeInputsFailed = 2;

    /// <summary>A fatal runtime error: a native library is missing, inference failed, an I/O error.</summary>
    public const int Fatal = 3;

    /// <summary>Interrupted (Ctrl+C), as shells report a SIGINT.</summary>
    public const int Interrupted = 130;
}
