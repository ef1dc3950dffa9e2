using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Embeddings.AspNetCore;

/// <summary>Liveness, readiness and the model description.</summary>
internal sealed partial class EmbeddingsServer
{
    /// <summary><c>GET /health</c>: 200 <c>ok</c> while the process serves HTTP. Never needs the token, never waits
    /// for the model (a probe must not restart a server that is still loading).</summary>
    public static Task LivenessAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync("ok", context.RequestAborted);
    }

    /// <summary><c>GET /health/ready</c>: 200 once the providers are resolved and warmed up; 503 while starting, after
    /// a failed start, and while stopping. Never needs the token.</summary>
    public async Task ReadinessAsync(HttpContext context)
    {
        Task<ServedModels> models = EnsureStarted();
        string status = _stopping ? "stopping"
            : !models.IsCompleted ? "starting"
            : models.Result.Failure is not null ? "failed"
            : "ready";

        HttpResponse response = context.Response;
        response.StatusCode = status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json";
        if (status == "starting")
        {
            response.Headers.RetryAfter = "1";
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, status);
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /info</c> (token required): the served models, their prompts and the server's limits.</summary>
    public async Task InfoAsync(HttpContext context)
    {
        if (Authorize(context) is { } refused)
        {
            await ResponseWriter.WriteErrorAsync(context, refused, ErrorStyle.Tei).ConfigureAwait(false);
            return;
        }

        ServedModels models = await EnsureStarted().WaitAsync(context.RequestAborted).ConfigureAwait(false);
        if (models.Failure is not null)
        {
            await ResponseWriter.WriteErrorAsync(
                context,
                new ApiError(StatusCodes.Status503ServiceUnavailable, "The embedding model could not be started; see the server log.", ErrorTypes.Unhealthy),
                ErrorStyle.Tei).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            WriteModel(writer, "text", models.Text?.Provider.Metadata);
            WriteModel(writer, "image", models.Image?.Provider.Metadata);
            writer.WriteString("predict_prompt_name"u8, _options.PredictPromptName);
            writer.WriteString("default_prompt_name"u8, _options.DefaultPromptName);
            writer.WriteStartObject("limits"u8);
            writer.WriteNumber("max_request_body_bytes"u8, _options.MaxRequestBodyBytes);
            writer.WriteNumber("max_inputs_per_request"u8, _options.MaxInputsPerRequest);
            writer.WriteNumber("max_text_length"u8, _options.MaxTextLength);
            writer.WriteNumber("max_batch_size"u8, _options.MaxBatchSize);
            writer.WriteNumber("max_queued_inputs"u8, _options.MaxQueuedInputs);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteModel(Utf8JsonWriter writer, string name, EmbeddingProviderMetadata? metadata)
    {
        if (metadata is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("model_id"u8, metadata.ModelId);
        writer.WriteString("model_revision"u8, metadata.ModelRevision);
        writer.WriteString("provider"u8, metadata.ProviderName);
        writer.WriteNumber("dimensions"u8, metadata.Dimensions);
        writer.WriteStartArray("modalities"u8);
        if ((metadata.Modalities & EmbeddingModalities.Text) != 0)
        {
            writer.WriteStringValue("text"u8);
        }

        if ((metadata.Modalities & EmbeddingModalities.Image) != 0)
        {
            writer.WriteStringValue("image"u8);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("prompt_names"u8);
        foreach (string prompt in metadata.PromptNames)
        {
            writer.WriteStringValue(prompt);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
