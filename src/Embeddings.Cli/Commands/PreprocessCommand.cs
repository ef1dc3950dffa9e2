using System.CommandLine;
using Embeddings.Cli.Output;
using Embeddings.Imaging;
using Embeddings.Local;
using Embeddings.Models;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings preprocess</c>: the model's pixel tensors for images, as raw little-endian float32 (images
/// concatenated in argument order, each channels-first), and <c>{"shape":[N,3,H,W]}</c> on stdout (the parity hook
/// for image preprocessing). An image that fails is left out, with its error on stderr and exit code 2.
/// </summary>
internal static class PreprocessCommand
{
    public static readonly string[] Examples =
    [
        "embeddings preprocess --model ./siglip2 --out pixels.f32 cat.jpg dog.png",
        "python3 -c \"import numpy as np; print(np.fromfile('pixels.f32', '<f4').reshape(2, 3, 224, 224).mean())\"",
    ];

    public static Command Create()
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "Model folder (its preprocessor_config.json is used) or hub id",
            HelpName = "DIR|ID",
            Required = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "File to write the float32 tensors to", HelpName = "FILE", Required = true };
        var images = new Argument<string[]>("IMAGE") { Description = "Image files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("preprocess", "Write a model's pixel tensors for images as raw little-endian float32 and print their shape (the preprocessing parity hook)")
        {
            model, output, images,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(images)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string model, string outPath, string[] images, CancellationToken cancellationToken)
    {
        var options = new LocalOnnxProviderOptions();
        ModelDescription description = await LocalModels.DescribeAsync(model, options, cancellationToken).ConfigureAwait(false);
        string config = description.PreprocessorConfigPath
            ?? throw new CliUsageException($"The model '{model}' has no preprocessor_config.json: it has no image side.");
        var preprocessor = new ImagePreprocessor(ImagePreprocessorConfig.Load(config), options.ImageDecoding);

        var tensor = new float[preprocessor.TensorLength];
        int failed = 0;
        string temporary = outPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (string image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    preprocessor.Preprocess(EmbeddingInput.FromImageFile(image), tensor);
                    RawFloatWriter.Write(file, tensor);
                }
                catch (EmbeddingInputException ex)
                {
                    failed++;
                    await Console.Error.WriteLineAsync($"embeddings: {CliApplication.OneLine(ex.Message)}").ConfigureAwait(false);
                }
            }
        }

        // A failed image is left out (its error is on stderr and the exit code is 2); the shape counts the others.
        File.Move(temporary, outPath, overwrite: true);
        using var stdout = new JsonLineWriter(Console.OpenStandardOutput());
        stdout.Json.WriteStartObject();
        stdout.Json.WriteStartArray("shape");
        stdout.Json.WriteNumberValue(images.Length - failed);
        stdout.Json.WriteNumberValue(3);
        stdout.Json.WriteNumberValue(preprocessor.OutputHeight);
        stdout.Json.WriteNumberValue(preprocessor.OutputWidth);
        stdout.Json.WriteEndArray();
        stdout.Json.WriteEndObject();
        stdout.EndLine();
        return failed > 0 ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }
}
