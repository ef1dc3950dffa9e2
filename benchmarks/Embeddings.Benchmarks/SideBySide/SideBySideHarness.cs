namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// This library's side of the comparisons benchmarks/run.sh makes against its peers: each case prints one JSON line
/// per measurement, in the format of the peers' scripts, so that every side runs in its own process and its peak
/// memory can be measured alone.
/// <c>side onnx-run|tokenize|inference|image|local-images|local-texts|local-stream|cache|fallback [--option value]... [file]...</c>
/// </summary>
internal static class SideBySideHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: side onnx-run|tokenize|inference|image|local-images|local-texts|local-stream|cache|fallback [--option value]... [file]...");
            return 2;
        }

        var options = new SideArgs(args[1..]);
        try
        {
            return await RunCaseAsync(args[0], options);
        }
        catch (Exception e) when (e is EmbeddingException or IOException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            // One line that says why, for the harness's table; no stack trace to scroll through.
            Console.Error.WriteLine($"side {args[0]} failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunCaseAsync(string name, SideArgs options)
    {
        switch (name)
        {
            case "onnx-run":
                return OnnxRunSide.Run(options);
            case "tokenize":
                return TokenizeSide.Run(options);
            case "inference":
                return InferenceSide.Run(options);
            case "image":
                return ImagePreprocessSide.Run(options);
            case "local-images" or "local-texts" or "local-stream":
                return await LocalSide.RunAsync(name, options);
            case "cache":
                return await CacheSide.RunAsync(options);
            case "fallback":
                return await FallbackSide.RunAsync(options);
            default:
                Console.Error.WriteLine($"unknown side-by-side case '{name}'");
                return 2;
        }
    }
}
