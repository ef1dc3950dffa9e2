using Embeddings.Models;
using Embeddings.Onnx;
using Embeddings.Tokenization;

namespace Embeddings.Local;

/// <summary>
/// The text side of a model: its tokenizer, its ONNX graph (a text tower, a sentence-transformers model, or a dual
/// encoder's combined model) and what turns the graph's output into one vector per text.
/// </summary>
/// <remarks>Thread-safe: tokenizing and running hold no state between calls.</remarks>
internal sealed class TextEncoder : IDisposable
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";
    private const string PositionIds = "position_ids";
    private const string PixelValues = "pixel_values";

    private readonly OnnxSession _session;
    private readonly bool _ownsSession;
    private readonly string _model;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly SentenceTransformerPipeline? _pipeline;
    private readonly DenseHead? _dense;
    private readonly long[]? _companionPixelShape;
    private readonly float[]? _companionPixels;
    private readonly bool _hasTokenTypes;
    private readonly int _padId;
    private readonly bool _padLeft;
    private readonly bool _lowerCase;
    private readonly bool _truncate;
    private readonly EncodeOptions _encodeOptions;
    private readonly Dictionary<string, int> _promptTokens = new(StringComparer.Ordinal);

    private TextEncoder(
        ModelDescription description,
        OnnxSession session,
        bool ownsSession,
        bool combined,
        Tokenizer tokenizer,
        bool truncate)
    {
        _session = session;
        _ownsSession = ownsSession;
        _model = description.ModelId;
        Tokenizer = tokenizer;
        _pipeline = description.SentenceTransformer;
        _truncate = truncate;
        _lowerCase = _pipeline?.DoLowerCase ?? false;
        _padId = tokenizer.PadTokenId ?? 0;
        _padLeft = tokenizer.PaddingSide == PaddingSide.Left;
        MaxLength = description.TextMaxLength ?? tokenizer.ModelMaxLength;
        PadToMaxLength = description.PadTextToMaxLength && MaxLength is not null;
        _encodeOptions = new EncodeOptions
        {
            AddSpecialTokens = true,
            Padding = PaddingMode.None,
            Truncation = truncate && MaxLength is not null,
            MaxLength = MaxLength,
        };

        var inputs = new List<string>();
        foreach (OnnxTensorInfo input in session.Inputs)
        {
            switch (input.Name)
            {
                case InputIds or AttentionMask or TokenTypeIds or PositionIds:
                    RequireInt64(input);
                    inputs.Add(input.Name);
                    break;
                case PixelValues when combined:
                    // The combined graph needs an image too, whose vector is discarded: one blank image, made once
                    // (the runtime only reads inputs, so runs share it).
                    _companionPixelShape = CompanionPixelShape(input, description);
                    _companionPixels = new float[ElementCount(_companionPixelShape)];
                    inputs.Add(input.Name);
                    break;
                default:
                    throw ModelError($"the text model's input '{input}' is not one this library feeds ({InputIds}, {AttentionMask}, " +
                        $"{TokenTypeIds}, {PositionIds}{(combined ? $", and {PixelValues} for the combined model" : "")}).");
            }
        }

        if (!inputs.Contains(InputIds))
        {
            throw ModelError($"the text model has no '{InputIds}' input; its inputs are: {string.Join("; ", session.Inputs)}.");
        }

        _inputNames = [.. inputs];
        _hasTokenTypes = inputs.Contains(TokenTypeIds);
        (OutputKind, string output) = ChooseOutput(description, combined);
        _outputNames = [output];
        if (OutputKind == TextOutputKind.TokenStates && _pipeline!.DenseLayers.Count > 0)
        {
            _dense = new DenseHead(_pipeline.DenseLayers, _model);
        }

        Dimensions = ReadDimensions(description, output);
    }

    /// <summary>Gets the tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Gets the session (shared with the image side when it is a combined model).</summary>
    public OnnxSession Session => _session;

    /// <summary>Gets the size of the vectors.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the maximum length in tokens, special tokens included; <see langword="null"/> for none.</summary>
    public int? MaxLength { get; }

    /// <summary>Gets whether every text is padded to <see cref="MaxLength"/> (SigLIP).</summary>
    public bool PadToMaxLength { get; }

    /// <summary>Gets what the graph output holds.</summary>
    public TextOutputKind OutputKind { get; }

    /// <summary>Gets the name of the graph output read.</summary>
    public string OutputName => _outputNames[0];

    /// <summary>Creates the text side.</summary>
    /// <param name="description">The model.</param>
    /// <param name="session">Its text graph, or its combined graph when <paramref name="combined"/>.</param>
    /// <param name="ownsSession">Whether disposing this disposes the session.</param>
    /// <param name="combined">Whether <paramref name="session"/> is the dual encoder's combined model.</param>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="truncate">Whether texts over the maximum length are truncated (else they fail).</param>
    /// <exception cref="EmbeddingModelException">The graph lacks what the layout needs.</exception>
    public static TextEncoder Create(ModelDescription description, OnnxSession session, bool ownsSession, bool combined, Tokenizer tokenizer, bool truncate) =>
        new(description, session, ownsSession, combined, tokenizer, truncate);

    /// <summary>Tokenizes one text, with its prompt prefix.</summary>
    /// <param name="index">The text's position in the call.</param>
    /// <param name="text">The text.</param>
    /// <param name="prompt">The prompt text prepended to it, or <see langword="null"/>.</param>
    /// <param name="description">The input's description, for errors.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="EmbeddingInputException">The text is too long and truncation is off.</exception>
    public TextItem Encode(int index, string text, string? prompt, string description)
    {
        string full = prompt is null ? text : prompt + text;
        if (_lowerCase)
        {
            full = full.ToLowerInvariant();
        }

        TokenizedText encoded = Tokenizer.Encode(full, _encodeOptions);
        if (MaxLength is int max && encoded.Length > max)
        {
            // Only reachable with truncation off: the tokenizer truncates otherwise.
            throw new EmbeddingInputException(EmbeddingInputError.TooLarge, description,
                $"the text is {encoded.Length} tokens, more than the model's maximum of {max} (truncation is off).");
        }

        int promptTokens = prompt is null || _pipeline is null || _pipeline.Pooling.IncludePrompt ? 0 : PromptTokens(prompt);
        return new TextItem(index, encoded.Ids, encoded.TypeIds, promptTokens);
    }

    /// <summary>Runs one batch.</summary>
    /// <param name="items">The texts.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Per text, the model's vector (before Matryoshka truncation and the caller's normalization).</returns>
    public float[][] Run(ReadOnlySpan<TextItem> items, CancellationToken cancellationToken)
    {
        int count = items.Length;
        int length = 1;
        foreach (TextItem item in items)
        {
            length = Math.Max(length, item.Length);
        }

        if (PadToMaxLength)
        {
            length = Math.Max(length, MaxLength!.Value);
        }

        long[] ids = new long[count * length];
        long[] mask = new long[count * length];
        long[]? types = _hasTokenTypes ? new long[count * length] : null;
        Array.Fill(ids, _padId);
        for (int r = 0; r < count; r++)
        {
            TextItem item = items[r];
            int start = (r * length) + (_padLeft ? length - item.Length : 0);
            ReadOnlySpan<int> itemIds = item.Ids.Span;
            ReadOnlySpan<int> itemTypes = item.TypeIds.Span;
            for (int t = 0; t < item.Length; t++)
            {
                ids[start + t] = itemIds[t];
                mask[start + t] = 1;
                if (types is not null)
                {
                    types[start + t] = itemTypes[t];
                }
            }
        }

        var tensors = new OnnxTensor[_inputNames.Length];
        try
        {
            for (int i = 0; i < _inputNames.Length; i++)
            {
                tensors[i] = _inputNames[i] switch
                {
                    InputIds => OnnxTensor.Create(ids, [count, length]),
                    AttentionMask => OnnxTensor.Create(mask, [count, length]),
                    TokenTypeIds => OnnxTensor.Create(types!, [count, length]),
                    PositionIds => OnnxTensor.Create(Positions(count, length), [count, length]),
                    _ => OnnxTensor.Create(_companionPixels!, _companionPixelShape),
                };
            }

            using OnnxOutputs outputs = _session.Run(_inputNames, tensors, _outputNames, cancellationToken);
            return Read(outputs[0], items, mask, length);
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

    private float[][] Read(OnnxOutput output, ReadOnlySpan<TextItem> items, long[] mask, int length)
    {
        int count = items.Length;
        if (OutputKind != TextOutputKind.TokenStates)
        {
            return EncoderOutput.Rows(output, count, Dimensions, _model);
        }

        ReadOnlySpan<long> shape = output.Shape;
        if (shape.Length != 3 || shape[0] != count || shape[1] != length)
        {
            throw ShapeError(output, $"[{count},{length},hidden]");
        }

        ReadOnlySpan<float> data = output.GetData<float>();
        var vectors = new float[count][];

        int hidden = (int)shape[2];
        PoolingConfig pooling = _pipeline!.Pooling;
        int pooledSize = hidden * pooling.ModeCount;
        var pooled = new float[pooledSize];
        for (int r = 0; r < count; r++)
        {
            Span<long> rowMask = mask.AsSpan(r * length, length);
            int prompt = Math.Min(items[r].PromptTokens, length);
            if (prompt > 0)
            {
                // sentence-transformers: attention_mask[:, :prompt_length] = 0 before pooling.
                rowMask[(_padLeft ? length - items[r].Length : 0)..][..Math.Min(prompt, items[r].Length)].Clear();
            }

            TokenPooling.Pool(data.Slice(r * length * hidden, length * hidden), rowMask, hidden, pooling.Modes, pooled);
            float[] vector = _dense is null ? pooled.ToArray() : _dense.Apply(pooled);
            if (vector.Length != Dimensions)
            {
                throw ShapeError(output, $"token states that pool and project to {Dimensions} values (got {vector.Length})");
            }

            if (_pipeline.Normalize)
            {
                VectorMath.Normalize(vector);
            }

            vectors[r] = vector;
        }

        return vectors;
    }

    private (TextOutputKind Kind, string Name) ChooseOutput(ModelDescription description, bool combined)
    {
        bool Has(string name) => _session.Outputs.Any(o => o.Name == name);
        string? name;
        TextOutputKind kind;
        if (_pipeline is not null)
        {
            // The graph's own pipeline when it has one, unless prompt tokens must be left out of pooling, which the
            // graph cannot do; then pool here when the Dense weights are at hand.
            bool canPoolHere = _pipeline.DenseLayers.All(d => d.WeightsPath is not null);
            bool preferHere = !_pipeline.Pooling.IncludePrompt && canPoolHere;
            string? states = Has("last_hidden_state") ? "last_hidden_state" : Has("token_embeddings") ? "token_embeddings" : null;
            if (Has("sentence_embedding") && !(preferHere && states is not null))
            {
                (kind, name) = (TextOutputKind.SentenceEmbedding, "sentence_embedding");
            }
            else
            {
                (kind, name) = (TextOutputKind.TokenStates, states);
            }
        }
        else
        {
            kind = TextOutputKind.Pooled;
            name = combined || description.Family == ModelFamily.Clip ? "text_embeds" : "pooler_output";
            name = Has(name) ? name : null;
        }

        if (name is null)
        {
            string wanted = _pipeline is not null ? "'sentence_embedding' or 'last_hidden_state'"
                : combined || description.Family == ModelFamily.Clip ? "'text_embeds'" : "'pooler_output'";
            throw ModelError($"the text model has no {wanted} output; its outputs are: {string.Join("; ", _session.Outputs)}.");
        }

        OnnxTensorInfo info = _session.Outputs.First(o => o.Name == name);
        if (info.ElementType != OnnxElementType.Float)
        {
            throw ModelError($"the text model's output '{info}' is not float32.");
        }

        return (kind, name);
    }

    private int ReadDimensions(ModelDescription description, string output)
    {
        OnnxTensorInfo info = _session.Outputs.First(o => o.Name == output);
        int? declared = null;
        if (OutputKind == TextOutputKind.TokenStates)
        {
            int? hidden = info.Rank == 3 && info.Shape[2] > 0 ? (int)info.Shape[2] : null;
            declared = _dense?.OutputSize ?? hidden * _pipeline!.Pooling.ModeCount;
        }
        else if (info.Rank == 2 && info.Shape[1] > 0)
        {
            declared = (int)info.Shape[1];
        }

        int? dimensions = declared ?? description.Dimensions;
        if (dimensions is null or <= 0)
        {
            throw ModelError($"the size of the '{output}' vectors is neither in the graph nor in the configuration.");
        }

        if (declared is not null && description.Dimensions is int configured && configured != declared)
        {
            throw ModelError($"the graph's '{output}' gives {declared} values per text, but the configuration says {configured}.");
        }

        return dimensions.Value;
    }

    private int PromptTokens(string prompt)
    {
        lock (_promptTokens)
        {
            if (_promptTokens.TryGetValue(prompt, out int known))
            {
                return known;
            }
        }

        // sentence-transformers: len(tokenize(prompt)["input_ids"]) - 1 (the closing special token is not the prompt's).
        string text = _lowerCase ? prompt.ToLowerInvariant() : prompt;
        int count = Math.Max(0, Tokenizer.Encode(text, _encodeOptions).Length - 1);
        lock (_promptTokens)
        {
            _promptTokens[prompt] = count;
        }

        return count;
    }

    private long[] CompanionPixelShape(OnnxTensorInfo input, ModelDescription description)
    {
        if (input.ElementType != OnnxElementType.Float || input.Rank != 4)
        {
            throw ModelError($"the combined model's input '{input}' is not a float32 [batch, 3, height, width] tensor.");
        }

        long size = description.ImageSize ?? 224;
        return [1, input.Shape[1] > 0 ? input.Shape[1] : 3, input.Shape[2] > 0 ? input.Shape[2] : size, input.Shape[3] > 0 ? input.Shape[3] : size];
    }

    private void RequireInt64(OnnxTensorInfo input)
    {
        if (input.ElementType != OnnxElementType.Int64 || input.Rank != 2)
        {
            throw ModelError($"the text model's input '{input}' is not an int64 [batch, sequence] tensor.");
        }
    }

    private static long[] Positions(int count, int length)
    {
        long[] positions = new long[count * length];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = i % length;
        }

        return positions;
    }

    private static int ElementCount(long[] shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        return checked((int)count);
    }

    private EmbeddingModelException ModelError(string detail) => new(_model, $"Model '{_model}' ({_session.ModelName}): {detail}");

    private EmbeddingInferenceException ShapeError(OnnxOutput output, string expected) => EncoderOutput.ShapeError(output, _model, expected);
}
