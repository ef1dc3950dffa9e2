using Embeddings.TestSupport;
using System.Net;
using System.Net.Http.Headers;
using Embeddings.AspNetCore.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.AspNetCore;

/// <summary>The token read from the <c>auth_token</c> environment variable, as the Python server read it. The
/// variable is process-wide, so these tests run alone.</summary>
[Collection(typeof(IsolatedCollection))]
public sealed class EnvironmentTokenTests
{
    [Fact]
    public async Task Predict_TokenFromAuthTokenVariable_IsRequired()
    {
        const string FromEnvironment = "token-from-the-environment";
        string? saved = Environment.GetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable);
        Environment.SetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable, FromEnvironment);
        try
        {
            await using ServerHost host = await ServerHost.StartAsync(
                services => services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider()),
                o => o.AuthToken = null);
            using var withEnvironmentToken = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""") };
            withEnvironmentToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FromEnvironment);

            using HttpResponseMessage accepted = await host.Anonymous.SendAsync(withEnvironmentToken, TestContext.Current.CancellationToken);
            using HttpResponseMessage refused = await HttpJson.PostAsync(host.Anonymous, "predict", """{"query": "x"}""");

            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable, saved);
        }
    }

    [Fact]
    public async Task Predict_ConfiguredToken_WinsOverTheVariable()
    {
        string? saved = Environment.GetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable);
        Environment.SetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable, "token-from-the-environment");
        try
        {
            await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

            using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x"}""");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable, saved);
        }
    }
}
