using System.Net;
using System.Net.Http.Headers;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.AspNetCore;

/// <summary><c>POST /embed_image</c>: multipart uploads, raw image bodies and base64 JSON.</summary>
public sealed class ImageEndpointTests
{
    private static readonly byte[] s_cat = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, "cat_bamboo_chair.jpg"));
    private static readonly byte[] s_png = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, "cat_chelsea.png"));

    [Fact]
    public async Task EmbedImage_MultipartFiles_ReturnsOneVectorPerFileInOrder()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));
        using var form = new MultipartFormDataContent
        {
            { Upload("image/jpeg", s_cat), "files", "cat.jpg" },
            { new StringContent("false"), "normalize" },
            { Upload("image/png", s_png), "files", "chelsea.png" },
        };

        using HttpResponseMessage response = await host.Client.PostAsync("embed_image", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ServedFakes.Image(s_cat, normalize: false), ServedFakes.Image(s_png, normalize: false)], await HttpJson.ReadVectorsAsync(response));
    }

    [Fact]
    public async Task EmbedImage_RawImageBody_ReturnsOneVector()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));

        using HttpResponseMessage response = await host.Client.PostAsync("embed_image", Upload("image/jpeg", s_cat), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ServedFakes.Image(s_cat)], await HttpJson.ReadVectorsAsync(response));
    }

    [Fact]
    public async Task EmbedImage_Base64Json_AcceptsBareBase64AndDataUris()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));
        string body = $$"""{"inputs": ["{{Convert.ToBase64String(s_cat)}}", "data:image/png;base64,{{Convert.ToBase64String(s_png)}}"], "dimensions": 4}""";

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed_image", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ServedFakes.Image(s_cat, dimensions: 4), ServedFakes.Image(s_png, dimensions: 4)], await HttpJson.ReadVectorsAsync(response));
    }

    [Theory]
    [InlineData("""{"inputs": ["not base64!"]}""", "inputs[0] is not valid base64")]
    [InlineData("""{"inputs": ["data:text/plain;base64,aGVsbG8="]}""", "inputs[0] is a data URI whose media type is not an image")]
    [InlineData("""{"inputs": [""]}""", "inputs[0] is empty")]
    [InlineData("""{"images": ["aGVsbG8="]}""", "multipart/form-data")]
    public async Task EmbedImage_InvalidJson_Returns400NamingTheInput(string body, string expected)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed_image", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedImage_MalformedMultipart_Returns400()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));
        var content = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.jpg\"\r\n\r\nabc"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using HttpResponseMessage response = await host.Client.PostAsync("embed_image", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart", (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedImage_CorruptImage_Returns422ForThatInputOnly()
    {
        // The provider decodes: the second file is damaged; the error names its position, never its bytes.
        TestEmbeddingProvider provider = ServedFakes.Provider(ServedFakes.SiglipLike);
        provider.EmbedOne = (input, options) => input.ImageBytes.Length == 3
            ? EmbeddingResult.Failure(new EmbeddingInputException(EmbeddingInputError.Corrupt, input.ToString(), "the image data is truncated"), "test")
            : EmbeddingResult.Success(new Microsoft.Extensions.AI.Embedding<float>(OptionAwareVectors.For(ServedFakes.SiglipLike, input, options)), "test");
        await using ServerHost host = await ServerHost.StartAsync(provider);
        using var form = new MultipartFormDataContent
        {
            { Upload("image/jpeg", s_cat), "files", "cat.jpg" },
            { Upload("image/jpeg", [0xFF, 0xD8, 0xFF]), "files", "broken.jpg" },
        };

        using HttpResponseMessage response = await host.Client.PostAsync("embed_image", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        (string message, string _) = await HttpJson.ReadErrorAsync(response);
        Assert.Equal("Image (3 bytes) 'inputs[1]': the image data is truncated", message);
    }

    [Fact]
    public async Task EmbedImage_TextOnlyServer_Returns404()
    {
        await using ServerHost host = await ServerHost.StartAsync(services =>
            services.AddKeyedSingleton<IEmbeddingProvider>(DependencyInjection.EmbeddingsServiceKeys.Text, ServedFakes.Provider()));

        using HttpResponseMessage response = await host.Client.PostAsync("embed_image", Upload("image/jpeg", s_cat), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no image model", (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
    }

    private static ByteArrayContent Upload(string mediaType, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }
}
