using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.AspNetCore;

/// <summary>Bearer authentication: refusals, challenges, secrecy, timing.</summary>
public sealed class AuthenticationTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> EmbeddingRoutes => new()
    {
        { "predict", """{"query": "x"}""" },
        { "embed", """{"inputs": "x"}""" },
        { "v1/embeddings", """{"input": "x", "model": "m"}""" },
        { "embeddings", """{"input": "x", "model": "m"}""" },
        { "embed_image", """{"inputs": ["aGVsbG8="]}""" },
    };

    [Theory]
    [MemberData(nameof(EmbeddingRoutes))]
    public async Task EmbeddingRoute_NoToken_Returns401WithBearerChallenge(string path, string body)
    {
        TestEmbeddingProvider provider = ServedFakes.Provider(ServedFakes.SiglipLike);
        await using ServerHost host = await ServerHost.StartAsync(provider);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Anonymous, path, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(0, provider.Calls);
    }

    [Theory]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer test-token-0123456789abcdefghijK")]
    [InlineData("Bearer test-token-0123456789abcdefghij")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer")]
    public async Task Predict_WrongCredentials_Returns401(string authorization)
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(provider);
        using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using HttpResponseMessage response = await host.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("Unauthorized", (await HttpJson.ReadErrorAsync(response)).Type);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task Predict_InvalidToken_ChallengeSaysInvalidToken()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());
        using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");

        using HttpResponseMessage response = await host.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Predict_SchemeInAnyCase_IsAccepted()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());
        using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""") };
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + ServerHost.Token);

        using HttpResponseMessage response = await host.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Info_NoToken_Returns401()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await host.Anonymous.GetAsync("info", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void MapEmbeddings_NoTokenAndNotAnonymous_RefusesToStart()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider());
        using WebApplication app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapEmbeddings(o => o.AuthToken = null, environmentToken: null));

        Assert.Contains("auth_token", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_AllowAnonymousWithoutToken_ServesWithoutCredentials()
    {
        var logs = new CapturingLoggerProvider();
        await using ServerHost host = await ServerHost.StartAsync(
            services => services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider()),
            o => (o.AuthToken, o.AllowAnonymous) = (null, true),
            logging => logging.AddProvider(logs));

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Anonymous, "predict", """{"query": "x"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("WITHOUT a bearer token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_WithRightAndWrongTokens_NeverLogTheTokens()
    {
        const string WrongToken = "wrong-secret-token-value-123456";
        var logs = new CapturingLoggerProvider();
        await using ServerHost host = await ServerHost.StartAsync(
            services => services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider()),
            logging: logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""") };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WrongToken);

        using HttpResponseMessage refused = await host.Anonymous.SendAsync(wrong, TestContext.Current.CancellationToken);
        using HttpResponseMessage served = await HttpJson.PostAsync(host.Client, "predict", """{"query": "secret query text"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "EmbeddingsServerUnauthorized");
        string all = logs.AllText;
        Assert.DoesNotContain(WrongToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerHost.Token, all, StringComparison.Ordinal);
        Assert.DoesNotContain("secret query text", all, StringComparison.Ordinal);
    }

    /// <summary>
    /// A wrong token of the right length and one of another length must be refused in the same time: the Python
    /// server's <c>!=</c> returned at the first differing character (and at once on a length mismatch). Requests of
    /// the two kinds are interleaved in random order on one connection; their medians must agree and neither kind may
    /// be faster in most pairs. A positive control (a valid token through a provider that waits 2 ms) shows the
    /// harness does see a difference when there is one.
    /// </summary>
    [Fact]
    public async Task Predict_WrongTokenOfRightLengthAndOfOtherLength_TakeTheSameTime()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (_, ct) => Task.Delay(2, ct);
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxBatchDelay = TimeSpan.Zero);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = host.BaseUrl };
        string sameLength = ServerHost.Token[..^1] + "X";
        string otherLength = "x";
        Assert.Equal(ServerHost.Token.Length, sameLength.Length);

        for (int i = 0; i < 100; i++)
        {
            await TimeAsync(client, sameLength);
            await TimeAsync(client, otherLength);
            await TimeAsync(client, ServerHost.Token);
        }

        const int Pairs = 400;
        var same = new double[Pairs];
        var other = new double[Pairs];
        var valid = new double[Pairs];
        var random = new Random(12345);
        int sameFaster = 0;
        for (int i = 0; i < Pairs; i++)
        {
            if (random.Next(2) == 0)
            {
                same[i] = await TimeAsync(client, sameLength);
                other[i] = await TimeAsync(client, otherLength);
            }
            else
            {
                other[i] = await TimeAsync(client, otherLength);
                same[i] = await TimeAsync(client, sameLength);
            }

            valid[i] = await TimeAsync(client, ServerHost.Token);
            sameFaster += same[i] < other[i] ? 1 : 0;
        }

        double medianSame = Median(same);
        double medianOther = Median(other);
        double medianValid = Median(valid);
        double fraction = (double)sameFaster / Pairs;
        output.WriteLine($"wrong token, right length: median {medianSame:F1} us, p90 {Percentile(same, 0.9):F1} us");
        output.WriteLine($"wrong token, other length: median {medianOther:F1} us, p90 {Percentile(other, 0.9):F1} us");
        output.WriteLine($"right-length faster in {fraction:P1} of {Pairs} pairs; median ratio {medianSame / medianOther:F3}");
        output.WriteLine($"positive control (valid token, 2 ms provider): median {medianValid:F1} us");

        Assert.InRange(medianSame / medianOther, 0.8, 1.25);
        Assert.InRange(fraction, 0.35, 0.65);
        Assert.True(medianValid > medianSame + 1000, "The harness should resolve a 2 ms difference.");
    }

    private static async Task<double> TimeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        long started = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        double micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        Assert.Equal(token == ServerHost.Token ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        return micros;
    }

    private static double Median(double[] values) => Percentile(values, 0.5);

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Round(p * (sorted.Length - 1)))];
    }
}
