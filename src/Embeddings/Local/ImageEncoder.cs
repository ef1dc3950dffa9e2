using Embeddings.Imaging;
using Embeddings.Models;
using Embeddings.Onnx;

namespace Embeddings.Local;

/// <summary>
/// The image side of a model: its preprocessing and its ONNX graph (a vision tower, or a dual encoder's combined
/// model fed a one-token companion text).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ImageEncoder : IDisposable
{
    private const string PixelValues = "pixel_values";
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";

    // The combined graph's one-token companion text; the runtime only reads inputs, so runs share these.
    private static readonly long[] s_companionIds = [0];
    private static readonly long[] s_companionMask = [1];

    private readonly OnnxSession _session;
    private readonly bool _ownsSession;
    private readonly string _model;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public ImageEncoder(ModelDescription description, OnnxSession session, bool ownsSession, bool combined, ImagePreprocessor preprocessor)
    {
        _session = session;
        _ownsSession = ownsSession;
        _model = description.ModelId;
        Preprocessor = preprocessor;

        var inputs = new List<string>();
        foreach (OnnxTensorInfo input in session.Inputs)
        {
            switch (input.Name)
            {
                case PixelValues:
                    CheckPixels(input);
                    inputs.Add(input.Name);
                    break;
                case InputIds or AttentionMask when combined:
                    inputs.Add(input.Name);
                    break;
                default:
                    throw ModelError($"the image model's input '{input}' is not one this library feeds ({PixelValues}" +
                        $"{(combined ? $", and {InputIds} / {AttentionMask} for the combined model" : "")}).");
            }
        }

        if (!inputs.Contains(PixelValues))
        {
            throw ModelError($"the image model has no '{PixelValues}' input; its inputs are: {string.Join("; ", session.Inputs)}.");
        }

        _inputNames = [.. inputs];
        string output = combined || description.Family == ModelFamily.Clip ? "image_embeds" : "pooler_output";
        OnnxTensorInfo info = session.Outputs.FirstOrDefault(o => o.Name == output)
            ?? throw ModelError($"the image model has no '{output}' output; its outputs are: {string.Join("; ", session.Outputs)}.");
        if (info.ElementType != OnnxElementType.Float || info.Rank != 2)
        {
            throw ModelError($"the image model's output '{info}' is not a float32 [batch, dimensions] tensor.");
        }

        _outputNames = [output];
        int? declared = info.Shape[1] > 0 ? (int)info.Shape[1] : null;
        if (declared is not null && description.Dimensions is int configured && configured != declared)
        {
            throw ModelError($"the graph's '{output}' gives {declared} values per image, but the configuration says {configured}.");
        }

        Dimensions = declared ?? description.Dimensions
            ?? throw ModelError($"the size of the '{output}' vectors is neither in the graph nor in the configuration.");
    }

    /// <summary>Gets the preprocessing.</summary>
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Gets the size of the vectors.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the name of the graph output read.</summary>
    public string OutputName => _outputNames[0];

    /// <summary>Runs one batch of preprocessed images.</summary>
    /// <param name="pixels">The tensors, <paramref name="count"/> × <see cref="ImagePreprocessor.TensorLength"/> floats.</param>
    /// <param name="count">The number of images.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Per image, the model's vector (before Matryoshka truncation and normalization).</returns>
    public float[][] Run(ReadOnlyMemory<float> pixels, int count, CancellationToken cancellationToken)
    {
        var tensors = new OnnxTensor[_inputNames.Length];
        try
        {
            for (int i = 0; i < _inputNames.Length; i++)
            {
                tensors[i] = _inputNames[i] switch
                {
                    PixelValues => OnnxTensor.Create(pixels[..(count * Preprocessor.TensorLength)],
                        [count, 3, Preprocessor.OutputHeight, Preprocessor.OutputWidth]),

                    // The combined graph needs a text too: one token, whose vector is discarded.
                    InputIds => OnnxTensor.Create(s_companionIds, [1, 1]),
                    _ => OnnxTensor.Create(s_companionMask, [1, 1]),
                };
            }

            using OnnxOutputs outputs = _session.Run(_inputNames, tensors, _outputNames, cancellationToken);
            return EncoderOutput.Rows(outputs[0], count, Dimensions, _model);
        }
        finally
        {
            EncoderOutput.DisposeAll(tensors);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }

    private void CheckPixels(OnnxTensorInfo input)
    {
        if (input.ElementType != OnnxElementType.Float || input.Rank != 4)
        {
            throw ModelError($"the image model's input '{input}' is not a float32 [batch, 3, height, width] tensor.");
        }

        (long channels, long height, long width) = (input.Shape[1], input.Shape[2], input.Shape[3]);
        if ((channels > 0 && channels != 3)
            || (height > 0 && height != Preprocessor.OutputHeight)
            || (width > 0 && width != Preprocessor.OutputWidth))
        {
            throw ModelError($"the image model takes '{input}', but preprocessor_config.json makes 3x{Preprocessor.OutputHeight}x{Preprocessor.OutputWidth} tensors.");
        }
    }

    private EmbeddingModelException ModelError(string detail) => new(_model, $"Model '{_model}' ({_session.ModelName}): {detail}");
}
