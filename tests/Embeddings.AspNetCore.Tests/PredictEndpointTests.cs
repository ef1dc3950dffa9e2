using Embeddings.TestSupport;
using System.Net;
using System.Text.Json;
using Embeddings.AspNetCore.TestSupport;

namespace Embeddings.AspNetCore;

/// <summary><c>POST /predict</c>: every body shape the Python server and its clients used, over real Kestrel.</summary>
public sealed class PredictEndpointTests
{
    [Fact]
    public async Task Predict_QueryObjectWithString_ReturnsFlatVectorWithQueryPrompt()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "what is a transformer?"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ServedFakes.Text("what is a transformer?", prompt: "query"), await HttpJson.ReadVectorAsync(response));
    }

    [Fact]
    public async Task Predict_BareJsonList_ReturnsOneVectorPerText()
    {
        // What the Python clients sent: requests.post(url, data=json.dumps(list_of_texts)) with no content type.
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """["first variant", "second variant", "third"]""", contentType: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        float[][] vectors = await HttpJson.ReadVectorsAsync(response);
        Assert.Equal(3, vectors.Length);
        Assert.Equal(ServedFakes.Text("first variant", prompt: "query"), vectors[0]);
        Assert.Equal(ServedFakes.Text("second variant", prompt: "query"), vectors[1]);
        Assert.Equal(ServedFakes.Text("third", prompt: "query"), vectors[2]);
    }

    [Fact]
    public async Task Predict_BareJsonString_ReturnsFlatVector()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", "\"one text\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ServedFakes.Text("one text", prompt: "query"), await HttpJson.ReadVectorAsync(response));
    }

    [Fact]
    public async Task Predict_QueryObjectWithList_ReturnsListOfVectors()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": ["a", "b"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        float[][] vectors = await HttpJson.ReadVectorsAsync(response);
        Assert.Equal([ServedFakes.Text("a", prompt: "query"), ServedFakes.Text("b", prompt: "query")], vectors);
    }

    [Fact]
    public async Task Predict_DifferentQueries_GetDifferentVectors()
    {
        // The documented body of the Python server embedded the key name: every query got the same vector.
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage first = await HttpJson.PostAsync(host.Client, "predict", """{"query": "cats"}""");
        using HttpResponseMessage second = await HttpJson.PostAsync(host.Client, "predict", """{"query": "dogs"}""");

        Assert.NotEqual(await HttpJson.ReadVectorAsync(first), await HttpJson.ReadVectorAsync(second));
    }

    [Theory]
    [InlineData("document")]
    [InlineData("STS")]
    public async Task Predict_PromptName_AppliesThatPrompt(string prompt)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", $$"""{"query": "a passage", "prompt_name": "{{prompt}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ServedFakes.Text("a passage", prompt: prompt), await HttpJson.ReadVectorAsync(response));
    }

    [Fact]
    public async Task Predict_EmptyPromptName_AppliesNoPrompt()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "raw", "prompt_name": ""}""");

        Assert.Equal(ServedFakes.Text("raw", prompt: null), await HttpJson.ReadVectorAsync(response));
    }

    [Fact]
    public async Task Predict_ModelWithoutQueryPrompt_AppliesNone()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(ServedFakes.SiglipLike));

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "a photo of a cat"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ServedFakes.Text("a photo of a cat", metadata: ServedFakes.SiglipLike), await HttpJson.ReadVectorAsync(response));
    }

    [Fact]
    public async Task Predict_ConfiguredPromptName_IsTheDefault()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider(), o => o.PredictPromptName = "document");

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x"}""");

        Assert.Equal(ServedFakes.Text("x", prompt: "document"), await HttpJson.ReadVectorAsync(response));
    }

    [Fact]
    public async Task Predict_DimensionsAndNormalize_ReachTheProvider()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x", "dimensions": 4, "normalize": false}""");

        float[] vector = await HttpJson.ReadVectorAsync(response);
        Assert.Equal(4, vector.Length);
        Assert.Equal(ServedFakes.Text("x", prompt: "query", dimensions: 4, normalize: false), vector);
    }

    [Fact]
    public async Task Predict_UnknownPromptName_Returns422NamingTheChoices()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x", "prompt_name": "poem"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        (string message, string type) = await HttpJson.ReadErrorAsync(response);
        Assert.Equal("Validation", type);
        Assert.Contains("'poem'", message, StringComparison.Ordinal);
        Assert.Contains("query, document, STS", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"query": "x", "dimensions": 9}""")]
    [InlineData("""{"query": "x", "dimensions": 0}""")]
    public async Task Predict_DimensionsTheModelCannotGive_Returns422(string body)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("dimensions", (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "$")]
    [InlineData("""{"query": 5}""", "$.query")]
    [InlineData("""{"query": [1, 2]}""", "$.query")]
    [InlineData("""{"query": null}""", "$.query")]
    [InlineData("""{"query": "x", "dimensions": "four"}""", "$.dimensions")]
    [InlineData("not json", "")]
    [InlineData("null", "")]
    [InlineData("12", "")]
    [InlineData("""{"query": "unterminated""", "")]
    public async Task Predict_InvalidBody_Returns400WithJsonErrorNamingTheProblem(string body, string path)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        (string message, string type) = await HttpJson.ReadErrorAsync(response);
        Assert.Equal("Validation", type);
        Assert.Contains("{\"query\": string | [string]", message, StringComparison.Ordinal);
        if (path.Length > 1)
        {
            Assert.Contains($"at {path}", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"query": []}""")]
    [InlineData("[]")]
    public async Task Predict_NoInputs_Returns400Empty(string body)
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Empty", (await HttpJson.ReadErrorAsync(response)).Type);
    }

    [Fact]
    public async Task Predict_FailedInput_Returns422NamingThePositionNotTheContent()
    {
        const string Secret = "confidential patient note";
        var provider = ServedFakes.Provider();
        provider.EmbedOne = (input, _) => EmbeddingResult.Failure(
            new EmbeddingInputException(EmbeddingInputError.Invalid, input.ToString(), "cannot be tokenized"), "test");
        await using ServerHost host = await ServerHost.StartAsync(provider);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", $$"""["fine", "{{Secret}}"]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("query[0]", body, StringComparison.Ordinal);
        Assert.Contains("1 more", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("fine", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_ModelFailure_Returns500WithoutTheRuntimeMessage()
    {
        var provider = ServedFakes.Provider();
        provider.EmbedOne = (_, _) => EmbeddingResult.Failure(new EmbeddingInferenceException(6, "/models/secret-path/model.onnx: node failed"), "test");
        await using ServerHost host = await ServerHost.StartAsync(provider);

        using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        (string message, string type) = await HttpJson.ReadErrorAsync(response);
        Assert.Equal("Backend", type);
        Assert.Contains("EmbeddingInferenceException", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-path", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_ProviderThrows_Returns500AndTheServerKeepsServing()
    {
        var provider = ServedFakes.Provider();
        int calls = 0;
        provider.OnCall = (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("bug in a provider")
            : Task.CompletedTask;
        await using ServerHost host = await ServerHost.StartAsync(provider);

        using HttpResponseMessage failed = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x"}""");
        using HttpResponseMessage next = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.DoesNotContain("bug in a provider", await failed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Info_ListsModelPromptsAndLimits()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage response = await host.Client.GetAsync("info", TestContext.Current.CancellationToken);

        JsonElement info = await HttpJson.ReadAsync(response);
        JsonElement text = info.GetProperty("text");
        Assert.Equal("fake/embeddinggemma", text.GetProperty("model_id").GetString());
        Assert.Equal(8, text.GetProperty("dimensions").GetInt32());
        Assert.Equal(["query", "document", "STS"], text.GetProperty("prompt_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("query", info.GetProperty("predict_prompt_name").GetString());
        Assert.Equal(EmbeddingsEndpointOptions.DefaultMaxInputsPerRequest, info.GetProperty("limits").GetProperty("max_inputs_per_request").GetInt32());
    }
}
