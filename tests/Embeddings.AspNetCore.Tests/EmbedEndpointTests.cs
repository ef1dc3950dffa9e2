using Embeddings.TestSupport;
using System.Net;
using Embeddings.AspNetCore.TestSupport;

namespace Embeddings.AspNetCore;

/// <summary><c>POST /embed</c>: Text Embeddings Inference's contract.</summary>
public sealed class EmbedEndpointTests
{
    [Fact]
    public async Task Embed_SingleString_ReturnsListWithOneVector()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed", """{"inputs": "a"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ServedFakes.Text("a")], await HttpJson.ReadVectorsAsync(response));
    }

    [Fact]
    public async Task Embed_ListWithOptions_PassesEveryOption()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(
            host.Client,
            "embed",
            """{"inputs": ["a", "b"], "prompt_name": "document", "dimensions": 6, "normalize": false, "truncate": true, "truncation_direction": "Right"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [ServedFakes.Text("a", "document", 6, false), ServedFakes.Text("b", "document", 6, false)],
            await HttpJson.ReadVectorsAsync(response));
    }

    [Fact]
    public async Task Embed_NoPromptName_AppliesNoneByDefault()
    {
        // TEI applies no prompt unless asked; /predict's "query" default is for the Python server's clients only.
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed", """{"inputs": ["a"]}""");

        Assert.Equal([ServedFakes.Text("a", prompt: null)], await HttpJson.ReadVectorsAsync(response));
    }

    [Fact]
    public async Task Embed_ConfiguredDefaultPrompt_Applies()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(), o => o.DefaultPromptName = "document");

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed", """{"inputs": ["a"]}""");

        Assert.Equal([ServedFakes.Text("a", prompt: "document")], await HttpJson.ReadVectorsAsync(response));
    }

    [Theory]
    [InlineData("""["a"]""")]
    [InlineData("""{"input": "a"}""")]
    [InlineData("""{"inputs": {"text": "a"}}""")]
    public async Task Embed_InvalidBody_Returns400InTeiErrorShape(string body)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "embed", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        (string message, string type) = await HttpJson.ReadErrorAsync(response);
        Assert.Equal("Validation", type);
        Assert.Contains("\"inputs\"", message, StringComparison.Ordinal);
    }
}
