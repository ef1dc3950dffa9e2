using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Embeddings.Composition;

public sealed class FallbackProviderOptionsTests
{
    [Fact]
    public void Bind_FromConfiguration_SetsEveryProperty()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Embeddings:Fallback:AssumeCompatible"] = "true",
                ["Embeddings:Fallback:LeaveOpen"] = "true",
                ["Embeddings:Fallback:WarningInterval"] = "00:02:00",
                ["Embeddings:Fallback:MaxStreamBytes"] = "1048576",
            })
            .Build();
        var options = new FallbackProviderOptions();

        configuration.GetSection("Embeddings:Fallback").Bind(options);

        Assert.True(options.AssumeCompatible);
        Assert.True(options.LeaveOpen);
        Assert.Equal(TimeSpan.FromMinutes(2), options.WarningInterval);
        Assert.Equal(1048576, options.MaxStreamBytes);
        Assert.True(FallbackProviderOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Defaults_AreSafe()
    {
        var options = new FallbackProviderOptions();

        Assert.False(options.AssumeCompatible);
        Assert.False(options.LeaveOpen);
        Assert.Equal(TimeSpan.FromSeconds(30), options.WarningInterval);
        Assert.Equal(64L * 1024 * 1024, options.MaxStreamBytes);
    }

    [Fact]
    public void Validate_InvalidValues_ListsEveryProblem()
    {
        var options = new FallbackProviderOptions { WarningInterval = TimeSpan.FromSeconds(-1), MaxStreamBytes = 0 };

        ValidateOptionsResult result = FallbackProviderOptionsValidator.Instance.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(nameof(FallbackProviderOptions.WarningInterval), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(FallbackProviderOptions.MaxStreamBytes), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_CopiesEveryValue()
    {
        var options = new FallbackProviderOptions { AssumeCompatible = true, LeaveOpen = true, WarningInterval = TimeSpan.Zero, MaxStreamBytes = 5 };

        FallbackProviderOptions copy = options.Clone();
        options.MaxStreamBytes = 6;

        Assert.NotSame(options, copy);
        Assert.True(copy.AssumeCompatible);
        Assert.True(copy.LeaveOpen);
        Assert.Equal(TimeSpan.Zero, copy.WarningInterval);
        Assert.Equal(5, copy.MaxStreamBytes);
    }
}
