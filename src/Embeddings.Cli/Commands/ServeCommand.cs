using System.CommandLine;
using System.Net;
using Embeddings.AspNetCore;
using Embeddings.DependencyInjection;
using Embeddings.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings serve</c>: the HTTP API of <c>MapEmbeddings()</c> (<c>POST /predict</c>, <c>/embed</c>,
/// <c>/v1/embeddings</c>, <c>/embed_image</c>, <c>GET /health</c>, <c>/health/ready</c>, <c>/info</c>) on a port,
/// configured as samples/EmbeddingServer is: the bearer token from <c>auth_token</c>, the model from <c>--model</c> or
/// <c>EMBEDDINGS_MODEL</c>.
/// </summary>
internal static class ServeCommand
{
    public const int DefaultPort = 7860;
    public const string ModelVariable = "EMBEDDINGS_MODEL";
    public const string DefaultModel = "onnx-community/embeddinggemma-300m-ONNX";

    public static readonly string[] Examples =
    [
        "auth_token=s3cret embeddings serve --model onnx-community/embeddinggemma-300m-ONNX",
        "embeddings serve --model ./siglip2 --port 8080 --host 0.0.0.0 --allow-anonymous",
        "curl -s localhost:7860/predict -H 'Authorization: Bearer s3cret' -d '{\"query\":\"hello\"}'",
    ];

    public static Command Create()
    {
        var command = new Command("serve", "Serve the embeddings HTTP API (LitServe-compatible /predict, OpenAI /v1/embeddings, TEI /embed, /embed_image, /health). "
            + $"The bearer token comes from the auth_token environment variable; the model from --model, else {ModelVariable}, else {DefaultModel}.");
        CommonOptions common = CommonOptions.AddTo(command, modelRequired: false, progress: false);
        var port = new Option<int>("--port", "-p") { Description = "TCP port", DefaultValueFactory = _ => DefaultPort, HelpName = "PORT" };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--port must be from 0 to 65535.");
            }
        });
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface)", DefaultValueFactory = _ => "127.0.0.1", HelpName = "ADDRESS" };
        var anonymous = new Option<bool>("--allow-anonymous") { Description = "Serve without a bearer token when auth_token is not set" };
        var maxBatch = new Option<int?>("--max-batch-size")
        {
            Description = $"Most inputs merged into one model call by dynamic batching (default {EmbeddingsEndpointOptions.DefaultMaxBatchSize}; 1 turns batching off)",
            HelpName = "N",
        };
        maxBatch.AtLeastOne();
        command.Options.Add(port);
        command.Options.Add(maxBatch);
        command.Options.Add(host);
        command.Options.Add(anonymous);

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(host), out IPAddress? address))
            {
                throw new CliUsageException($"--host '{parse.GetValue(host)}' is not an IP address.");
            }

            string model = parse.GetValue(common.Model) is { Length: > 0 } named ? named
                : Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
                : DefaultModel;
            LocalModels.CheckModelName(model);
            bool verbose = parse.GetValue(CommonOptions.Verbose);
            LocalOnnxProviderOptions local = common.LocalOptions(parse);

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            CliLogging.Configure(builder.Logging, verbose, verbose ? LogLevel.Debug : LogLevel.Information);
            builder.WebHost.ConfigureKestrel(k => k.Listen(address, parse.GetValue(port)));
            EmbeddingHost.AddEmbeddings(builder.Services, builder.Configuration, model, local, o => o.ModelLoading = EmbeddingModelLoading.AtStartup);

            await using WebApplication app = builder.Build();
            bool allowAnonymous = parse.GetValue(anonymous);
            int? batchSize = parse.GetValue(maxBatch);
            app.MapEmbeddings(o =>
            {
                o.AllowAnonymous = allowAnonymous;
                o.MaxBatchSize = batchSize ?? o.MaxBatchSize;
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
