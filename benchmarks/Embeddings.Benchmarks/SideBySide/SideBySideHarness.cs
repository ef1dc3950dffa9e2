namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// This library's side of the comparisons benchmarks/run.sh makes against its peers: each case prints one JSON line
/// per measurement, in the format of the peers' scripts, so that every side runs in its own process and its peak
/// memory can be measured alone.
/// <c>side onnx-run|tokenize|inference|image|cache|fallback [--option value]... [file]...</c>
/// </summary>
internal static class SideBySideHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: side onnx-run|tokenize|inference|image|cache|fallback [--option value]... [file]...");
            return 2;
        }

        var options = new SideArgs(args[1..]);
        switch (args[0])
        {
            case "onnx-run":
                return OnnxRunSide.Run(options);
            case "tokenize":
                return TokenizeSide.Run(options);
            case "inference":
                return InferenceSide.Run(options);
            case "image":
                return ImagePreprocessSide.Run(options);
            case "cache":
                return await CacheSide.RunAsync(options);
            case "fallback":
                return await FallbackSide.RunAsync(options);
            default:
                Console.Error.WriteLine($"unknown side-by-side case '{args[0]}'");
                return 2;
        }
    }
}
