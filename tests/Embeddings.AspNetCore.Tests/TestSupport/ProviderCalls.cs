using Embeddings.TestSupport;

namespace Embeddings.AspNetCore.TestSupport;

/// <summary>Waits on a fake provider's call count rather than sleeping.</summary>
internal static class ProviderCalls
{
    /// <summary>Waits (up to 5 s) until the provider has been called <paramref name="calls"/> times.</summary>
    public static async Task WaitForAsync(TestEmbeddingProvider provider, int calls = 1)
    {
        for (int i = 0; i < 1000 && provider.Calls < calls; i++)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Equal(calls, provider.Calls);
    }
}
