using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Embeddings.AspNetCore.TestSupport;

/// <summary>Sends JSON bodies and reads the server's answers.</summary>
internal static class HttpJson
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return client.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<float[]> ReadVectorAsync(HttpResponseMessage response)
    {
        JsonElement root = await ReadAsync(response);
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        return Vector(root);
    }

    public static async Task<float[][]> ReadVectorsAsync(HttpResponseMessage response)
    {
        JsonElement root = await ReadAsync(response);
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        return [.. root.EnumerateArray().Select(Vector)];
    }

    public static float[] Vector(JsonElement array)
    {
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        return [.. array.EnumerateArray().Select(e => e.GetSingle())];
    }

    /// <summary>The error message of a TEI-style (<c>{"error": "..."}</c>) or OpenAI-style
    /// (<c>{"error": {"message": "..."}}</c>) body.</summary>
    public static async Task<(string Message, string Type)> ReadErrorAsync(HttpResponseMessage response)
    {
        JsonElement root = await ReadAsync(response);
        JsonElement error = root.GetProperty("error");
        return error.ValueKind == JsonValueKind.String
            ? (error.GetString()!, root.GetProperty("error_type").GetString()!)
            : (error.GetProperty("message").GetString()!, error.GetProperty("code").GetString()!);
    }
}
