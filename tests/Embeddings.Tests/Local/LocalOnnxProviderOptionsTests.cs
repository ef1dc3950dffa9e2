using Embeddings.Models;
using Embeddings.Onnx;
using Microsoft.Extensions.Configuration;

namespace Embeddings.Local;

public sealed class LocalOnnxProviderOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new LocalOnnxProviderOptions();

        Assert.Equal(32, options.TextBatchSize);
        Assert.Equal(8, options.ImageBatchSize);
        Assert.Equal(1, options.PreprocessingParallelism);
        Assert.Equal(1, options.MaxConcurrentInferences);
        Assert.True(options.Normalize);
        Assert.True(options.TruncateText);
        Assert.False(options.LoadZeroShotHead);
        Assert.Equal(ModelVariant.Fp32, options.ModelSource.Variant);
        Assert.Equal(0, options.Runtime.IntraOpThreads);
    }

    [Fact]
    public void Bind_FromConfiguration_SetsNestedOptions()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Local:TextBatchSize"] = "16",
            ["Local:ImageBatchSize"] = "4",
            ["Local:PreprocessingParallelism"] = "2",
            ["Local:Normalize"] = "false",
            ["Local:ModelSource:Variant"] = "Quantized",
            ["Local:ModelSource:Offline"] = "true",
            ["Local:Runtime:IntraOpThreads"] = "3",
            ["Local:Runtime:SessionConfigEntries:session.intra_op.allow_spinning"] = "0",
        }).Build();

        LocalOnnxProviderOptions options = configuration.GetSection("Local").Get<LocalOnnxProviderOptions>()!;

        Assert.Equal(16, options.TextBatchSize);
        Assert.Equal(4, options.ImageBatchSize);
        Assert.Equal(2, options.PreprocessingParallelism);
        Assert.False(options.Normalize);
        Assert.Equal(ModelVariant.Quantized, options.ModelSource.Variant);
        Assert.True(options.ModelSource.Offline);
        Assert.Equal(3, options.Runtime.IntraOpThreads);
        Assert.Equal("0", options.Runtime.SessionConfigEntries["session.intra_op.allow_spinning"]);
    }

    [Fact]
    public void Validator_RejectsOutOfRangeValues_IncludingNestedRuntimeOptions()
    {
        var options = new LocalOnnxProviderOptions { PreprocessingParallelism = 0, MaxConcurrentInferences = 0 };
        options.Runtime.IntraOpThreads = -1;

        var result = new LocalOnnxProviderOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(nameof(LocalOnnxProviderOptions.PreprocessingParallelism), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(LocalOnnxProviderOptions.MaxConcurrentInferences), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(OnnxRuntimeOptions.IntraOpThreads), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_IsDeep()
    {
        var options = new LocalOnnxProviderOptions { TextBatchSize = 5 };
        options.Runtime.SessionConfigEntries["k"] = "v";
        options.ModelSource.Revision = "abc";

        LocalOnnxProviderOptions copy = options.Clone();
        options.Runtime.SessionConfigEntries["k"] = "changed";
        options.ModelSource.Revision = "changed";
        options.TextBatchSize = 6;

        Assert.Equal("v", copy.Runtime.SessionConfigEntries["k"]);
        Assert.Equal("abc", copy.ModelSource.Revision);
        Assert.Equal(5, copy.TextBatchSize);
    }
}
