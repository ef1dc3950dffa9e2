using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Security;

/// <summary>
/// The server's bearer check refuses every wrong token, whatever its length or how much of the right one it shares,
/// and accepts the right one. (The comparison hashes both sides and compares the hashes with
/// <c>CryptographicOperations.FixedTimeEquals</c>, so its time depends on neither; see BearerTokenValidator.)
/// </summary>
public sealed class ServerTokenTests
{
    private const string Token = "srv-TOKEN-0123456789abcdefghijklmnopqrstuvwxyz";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Predict_WrongTokensOfEveryLengthAndPrefix_401_RightToken200()
    {
        var provider = new TestEmbeddingProvider();
        await using ServerHost host = await ServerHost.StartAsync(provider, token: Token);

        var wrong = new List<string>();
        for (int length = 1; length <= Token.Length * 2; length++)
        {
            // Right prefixes (the longest shares all but the last character), and unrelated tokens of every length.
            wrong.Add(length < Token.Length ? Token[..length] : Token + new string('x', length - Token.Length));
            wrong.Add(new string('a', length));
        }

        for (int i = 0; i < Token.Length; i++)
        {
            char[] one = Token.ToCharArray();
            one[i] = one[i] == 'z' ? 'y' : (char)(one[i] + 1);
            wrong.Add(new string(one));
        }

        // Case changes, control characters around it (header whitespace is only SP and HTAB), and a huge one. (Non-ASCII
        // spellings cannot be sent: HttpClient refuses them, and Kestrel answers 400 to such header bytes.)
        wrong.AddRange([Token.ToUpperInvariant(), Token.ToLowerInvariant(), Token + "\v", "\f" + Token, Token + "\u001F", Token + "\u0000",
            Token[..^1] + "\u007F", new string('t', 8192)]);

        int refused = 0;
        foreach (string token in wrong.Distinct(StringComparer.Ordinal).Where(t => t != Token))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = Json("""{"query": "hello"}""") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using HttpResponseMessage response = await host.Anonymous.SendAsync(request, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest,
                $"a wrong token of {token.Length} characters (\"{Properties.RandomText.Escape(token, 80)}\") got {(int)response.StatusCode}");
            refused++;
        }

        foreach (string authorization in new[] { "Bearer " + Token, "bearer " + Token, "Bearer  " + Token, "Bearer " + Token + "\t", " Bearer " + Token + " " })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = Json("""{"query": "hello"}""") };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using HttpResponseMessage response = await host.Anonymous.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(refused > 2 * Token.Length);
        Assert.Equal(5, provider.Calls);
    }

    [Theory]
    [InlineData("Basic " + Token)]
    [InlineData(Token)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Token " + Token)]
    public async Task Predict_MalformedAuthorization_401AndProviderNotCalled(string authorization)
    {
        var provider = new TestEmbeddingProvider();
        await using ServerHost host = await ServerHost.StartAsync(provider, token: Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = Json("""{"query": "hello"}""") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using HttpResponseMessage response = await host.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task EveryEmbeddingRoute_NoOrWrongToken_401_HealthNeedsNone()
    {
        var provider = new TestEmbeddingProvider();
        await using ServerHost host = await ServerHost.StartAsync(provider, token: Token);
        (string Path, HttpContent Body)[] routes =
        [
            ("predict", Json("""{"query": "x"}""")),
            ("embed", Json("""{"inputs": "x"}""")),
            ("v1/embeddings", Json("""{"input": "x", "model": "m"}""")),
            ("embeddings", Json("""{"input": "x", "model": "m"}""")),
            ("embed_image", Json("""{"inputs": ["aGVsbG8="]}""")),
        ];
        foreach ((string path, HttpContent body) in routes)
        {
            using HttpResponseMessage none = await host.Anonymous.PostAsync(path, body, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token[..^1]);
            using HttpResponseMessage wrong = await host.Anonymous.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using HttpResponseMessage info = await host.Anonymous.GetAsync("info", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, info.StatusCode);
        using HttpResponseMessage health = await host.Anonymous.GetAsync("health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, provider.Calls);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
