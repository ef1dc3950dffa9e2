namespace Embeddings.Cli;

/// <summary>The entry point of the <c>embeddings</c> tool.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApplication.RunAsync(args);
}
