using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Security;

/// <summary>
/// The server's request limits and parser under hostile requests on every route: oversized bodies and too many
/// inputs are 413 before the model runs, malformed bodies are 4xx, and nothing is ever a 5xx.
/// </summary>
public sealed class ServerHostileRequestTests(ITestOutputHelper output)
{
    private const string Token = "limits-token-abcdefghijklmnopqrstuvwxyz012345";

    private static readonly string[] s_textRoutes = ["predict", "embed", "v1/embeddings", "embeddings"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryRoute_BodyOverTheLimit_413AndProviderNotCalled()
    {
        var provider = new TestEmbeddingProvider();
        await using ServerHost host = await ServerHost.StartAsync(provider, token: Token, configure: o => o.MaxRequestBodyBytes = 4096);
        string big = new('a', 10_000);
        (string Path, Func<HttpContent> Body)[] requests =
        [
            ("predict", () => Json($$"""{"query": "{{big}}"}""")),
            ("embed", () => Json($$"""{"inputs": ["{{big}}"]}""")),
            ("v1/embeddings", () => Json($$"""{"input": "{{big}}", "model": "m"}""")),
            ("embeddings", () => Json($$"""{"input": ["{{big}}"], "model": "m"}""")),
            ("embed_image", () => Json($$"""{"inputs": ["{{Convert.ToBase64String(new byte[8000])}}"]}""")),
            ("embed_image", () => Raw(new byte[8000], "image/png")),
            ("embed_image", () => Multipart(new byte[8000])),
            ("predict", () => new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"query": "{{big}}"}""")))),
        ];

        foreach ((string path, Func<HttpContent> body) in requests)
        {
            using HttpResponseMessage response = await host.Client.PostAsync(path, body(), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task EveryRoute_TooManyInputsOrTooLongText_413AndProviderNotCalled()
    {
        var provider = new TestEmbeddingProvider();
        await using ServerHost host = await ServerHost.StartAsync(provider, token: Token, configure: o =>
        {
            o.MaxInputsPerRequest = 8;
            o.MaxTextLength = 100;
        });
        string nine = "[" + string.Join(',', Enumerable.Repeat("\"x\"", 9)) + "]";
        string nineImages = "[" + string.Join(',', Enumerable.Repeat("\"aGVsbG8=\"", 9)) + "]";
        string longText = "\"" + new string('b', 101) + "\"";
        (string Path, string Body)[] requests =
        [
            ("predict", nine),
            ("predict", $$"""{"query": {{nine}}}"""),
            ("embed", $$"""{"inputs": {{nine}}}"""),
            ("v1/embeddings", $$"""{"input": {{nine}}, "model": "m"}"""),
            ("embeddings", $$"""{"input": {{nine}}, "model": "m"}"""),
            ("embed_image", $$"""{"inputs": {{nineImages}}}"""),
            ("predict", $$"""{"query": {{longText}}}"""),
            ("embed", $$"""{"inputs": [{{longText}}]}"""),
            ("v1/embeddings", $$"""{"input": {{longText}}, "model": "m"}"""),
        ];

        foreach ((string path, string body) in requests)
        {
            using HttpResponseMessage response = await host.Client.PostAsync(path, Json(body), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{path} {body[..Math.Min(60, body.Length)]}: {(int)response.StatusCode}");
        }

        using HttpResponseMessage multipart = await host.Client.PostAsync("embed_image", Multipart([.. Enumerable.Repeat(new byte[] { 1, 2, 3 }, 9)]), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, multipart.StatusCode);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task EveryRoute_HostileBodies_NeverA5xx()
    {
        var provider = new TestEmbeddingProvider(new EmbeddingProviderMetadata("test", "test-model", 4, EmbeddingModalities.Text | EmbeddingModalities.Image));
        await using ServerHost host = await ServerHost.StartAsync(provider, token: Token, configure: o => o.MaxRequestBodyBytes = 1 << 20);
        var random = new Random(PropertySeed.Value);
        var bodies = new List<(string Name, Func<HttpContent> Body)>
        {
            ("empty", () => Json("")),
            ("null", () => Json("null")),
            ("true", () => Json("true")),
            ("number", () => Json("42")),
            ("empty object", () => Json("{}")),
            ("empty list", () => Json("[]")),
            ("list of nulls", () => Json("[null, null]")),
            ("list of numbers", () => Json("[1, 2, 3]")),
            ("nested lists", () => Json("[[\"a\"], [\"b\"]]")),
            ("deep nesting", () => Json(new string('[', 5000) + new string(']', 5000))),
            ("deep object nesting", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000))),
            ("truncated JSON", () => Json("{\"query\": [\"a\", \"b")),
            ("trailing garbage", () => Json("{\"query\": \"a\"} xyz")),
            ("comments", () => Json("/* c */ {\"query\": \"a\"}")),
            ("BOM only", () => Json("\uFEFF")),
            ("invalid UTF-8", () => Raw([0x7B, 0x22, 0x71, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D], "application/json")),
            ("lone surrogate escape", () => Json("{\"query\": \"\\ud800\", \"inputs\": \"\\udc00x\", \"input\": \"\\ud800\", \"model\": \"m\"}")),
            ("NUL escapes", () => Json("{\"query\": \"\\u0000\\u0000\", \"inputs\": \"\\u0000\", \"input\": \"\\u0000\", \"model\": \"m\"}")),
            ("null fields", () => Json("{\"query\": null, \"inputs\": null, \"input\": null, \"model\": null}")),
            ("wrong types", () => Json("{\"query\": 1, \"inputs\": {\"a\": 1}, \"input\": true, \"model\": 5, \"dimensions\": \"x\", \"normalize\": \"yes\"}")),
            ("negative dimensions", () => Json("{\"query\": \"a\", \"inputs\": \"a\", \"input\": \"a\", \"model\": \"m\", \"dimensions\": -1}")),
            ("zero dimensions", () => Json("{\"query\": \"a\", \"inputs\": \"a\", \"input\": \"a\", \"model\": \"m\", \"dimensions\": 0}")),
            ("huge dimensions", () => Json("{\"query\": \"a\", \"inputs\": \"a\", \"input\": \"a\", \"model\": \"m\", \"dimensions\": 99999999999999999999}")),
            ("float dimensions", () => Json("{\"query\": \"a\", \"inputs\": \"a\", \"input\": \"a\", \"model\": \"m\", \"dimensions\": 1.5}")),
            ("unknown prompt", () => Json("{\"query\": \"a\", \"inputs\": \"a\", \"prompt_name\": \"../../etc\"}")),
            ("unknown encoding", () => Json("{\"input\": \"a\", \"model\": \"m\", \"encoding_format\": \"int8\"}")),
            ("duplicate keys", () => Json("{\"query\": \"a\", \"query\": [\"b\"], \"inputs\": \"a\", \"inputs\": 5}")),
            ("bad base64", () => Json("{\"inputs\": [\"!!!not base64!!!\"], \"input\": \"data:image/png;base64,!!!\", \"model\": \"m\"}")),
            ("data URL without comma", () => Json("{\"inputs\": [\"data:image/png;base64\"], \"input\": \"data:image/png;base64\", \"model\": \"m\"}")),
            ("data URL of text", () => Json("{\"inputs\": [\"data:text/plain;base64,aGVsbG8=\"], \"input\": [\"data:text/plain;base64,aGVsbG8=\"], \"model\": \"m\"}")),
            ("empty base64 image", () => Json("{\"inputs\": [\"\"], \"input\": \"data:image/png;base64,\", \"model\": \"m\"}")),
            ("form without files", () => new FormUrlEncodedContent([new("a", "b")])),
            ("multipart without files", () => new MultipartFormDataContent { { new StringContent("x"), "field" } }),
            ("multipart with empty file", () => Multipart([])),
            ("raw image of noise", () => Raw(Noise(random, 2048), "image/jpeg")),
            ("xml", () => Raw("<query>a</query>"u8.ToArray(), "application/xml")),
            ("octet stream", () => Raw(Noise(random, 100), "application/octet-stream")),
            ("no content type", () => new ByteArrayContent("{\"query\": \"a\"}"u8.ToArray())),
        };
        for (int i = 0; i < 40; i++)
        {
            byte[] noise = Noise(random, random.Next(1, 3000));
            bodies.Add(($"random bytes {i}", () => Raw(noise, "application/json")));
        }

        var statuses = new Dictionary<int, int>();
        foreach (string path in s_textRoutes.Append("embed_image"))
        {
            foreach ((string name, Func<HttpContent> body) in bodies)
            {
                using HttpResponseMessage response = await host.Client.PostAsync(path, body(), Ct);
                int status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                Assert.True(status < 500, $"{path} with {name}: {status} {await response.Content.ReadAsStringAsync(Ct)}");
            }
        }

        // The server still serves after all of it.
        using HttpResponseMessage ok = await host.Client.PostAsync("predict", Json("""{"query": "still alive"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        output.WriteLine($"{bodies.Count} hostile bodies x 5 routes: statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}"))}.");
    }

    private static byte[] Noise(Random random, int length)
    {
        byte[] data = new byte[length];
        random.NextBytes(data);
        return data;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Raw(byte[] data, string contentType)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    private static MultipartFormDataContent Multipart(params byte[][] files)
    {
        var content = new MultipartFormDataContent();
        for (int i = 0; i < files.Length; i++)
        {
            var file = new ByteArrayContent(files[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            content.Add(file, "file", $"image{i}.png");
        }

        return content;
    }
}
