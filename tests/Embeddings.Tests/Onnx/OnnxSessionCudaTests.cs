using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx;

/// <summary>The CUDA provider as this machine has it: compiled into ONNX Runtime but without its provider libraries.</summary>
public sealed class OnnxSessionCudaTests(ITestOutputHelper output)
{
    private static bool CudaProviderShipped =>
        File.Exists(Path.Combine(Path.GetDirectoryName(OnnxRuntime.Get().LibrarySource)!, "libonnxruntime_providers_cuda.so"));

    [Fact]
    public void Create_CudaWithoutProviderLibraries_ThrowsNamingWhatIsMissing()
    {
        Assert.SkipWhen(CudaProviderShipped, "the CUDA provider libraries are present here");
        var options = OnnxTestModels.Options();
        options.ExecutionProvider = OnnxExecutionProvider.Cuda;

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxSession.Create(OnnxTestModels.Path("ort-dtypes"), options));

        output.WriteLine(ex.Message);
        string folder = Path.GetDirectoryName(OnnxRuntime.Get().LibrarySource)!;
        Assert.Equal("onnxruntime_providers_cuda", ex.LibraryName);
        Assert.Contains(Path.Combine(folder, "libonnxruntime_providers_shared.so"), ex.Searched);
        Assert.Contains(Path.Combine(folder, "libonnxruntime_providers_cuda.so"), ex.Searched);
        Assert.Contains("Missing: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("libonnxruntime_providers_shared.so", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA 12", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cuDNN 9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowCpuFallback", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(OnnxTestModels.Path("ort-dtypes")), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CudaWithFallbackAllowed_RunsOnTheCpuAndLogsAWarning()
    {
        Assert.SkipWhen(CudaProviderShipped, "the CUDA provider libraries are present here");
        var options = OnnxTestModels.Options();
        options.ExecutionProvider = OnnxExecutionProvider.Cuda;
        options.AllowCpuFallback = true;
        var warnings = new List<(EventId Id, string Message)>();
        var logger = new RecordingLogger((level, id, message) =>
        {
            if (level == LogLevel.Warning && id.Id == 2001)
            {
                lock (warnings)
                {
                    warnings.Add((id, message));
                }
            }
        });

        using OnnxSession session = OnnxSession.Create(OnnxTestModels.Path("ort-dtypes"), options, logger);
        using OnnxSession cpu = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        using OnnxOutputs fallbackOutputs = session.Run(inputs.Names, inputs.Tensors, [], TestContext.Current.CancellationToken);
        using OnnxOutputs cpuOutputs = cpu.Run(inputs.Names, inputs.Tensors, [], TestContext.Current.CancellationToken);

        Assert.Equal(OnnxExecutionProvider.Cpu, session.ExecutionProvider);
        (EventId _, string message) = Assert.Single(warnings);
        output.WriteLine(message);
        Assert.Contains("AllowCpuFallback", message, StringComparison.Ordinal);
        Assert.Contains("libonnxruntime_providers_shared.so", message, StringComparison.Ordinal);
        OnnxAssert.Equal(cpuOutputs, fallbackOutputs, tolerance: 0);
    }
}
