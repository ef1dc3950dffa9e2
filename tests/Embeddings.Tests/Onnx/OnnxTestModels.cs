using Embeddings.TestSupport;

namespace Embeddings.Onnx;

/// <summary>Paths of the generated tiny models and the session options every binding test uses.</summary>
internal static class OnnxTestModels
{
    /// <summary>Gets the model.onnx of a tiny binding-test model (ort-dtypes, ort-slow).</summary>
    public static string Path(string name) => System.IO.Path.Combine(TestAssets.TinyModelDir(name), "model.onnx");

    /// <summary>Gets a file under artifacts/models/tiny, for example <c>minilm/onnx/model.onnx</c>.</summary>
    public static string Tiny(string relativePath) => System.IO.Path.Combine(TestAssets.RepoRoot, "artifacts", "models", "tiny", relativePath);

    /// <summary>One thread per session, no spinning: deterministic results, polite on a shared 2-core machine, and the
    /// settings eng/references/onnx/generate.mjs gives onnxruntime-node.</summary>
    public static OnnxRuntimeOptions Options()
    {
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1, InterOpThreads = 1 };
        options.SessionConfigEntries["session.intra_op.allow_spinning"] = "0";
        return options;
    }

    /// <summary>Opens a tiny binding-test model (ort-dtypes, ort-slow) or a file under artifacts/models/tiny with
    /// <see cref="Options"/>.</summary>
    public static OnnxSession Open(string name) => OnnxSession.Create(name.EndsWith(".onnx", StringComparison.Ordinal) ? Tiny(name) : Path(name), Options());
}
