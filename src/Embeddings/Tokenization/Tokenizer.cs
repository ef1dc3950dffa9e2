using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// A Hugging Face tokenizer loaded from <c>tokenizer.json</c> (plus <c>tokenizer_config.json</c>), producing the same
/// token ids as Python transformers' <c>AutoTokenizer</c> over the same folder: BPE (including byte-level and byte
/// fallback), WordPiece, WordLevel and Unigram models with their normalizers, pre-tokenizers, post-processors and
/// added tokens.
/// </summary>
/// <remarks>
/// <para>Instances are immutable and safe to use from many threads at once.</para>
/// <para>Offsets are UTF-16 code units (.NET string indices). Unpaired surrogates in the input are read as U+FFFD.</para>
/// <para>Only load tokenizer files from a trusted source: they define regular expressions that run on every input.</para>
/// <para>A file using a feature this library does not implement fails to load with an
/// <see cref="EmbeddingModelException"/> naming the feature, rather than tokenizing differently.</para>
/// <para>From tokenizer_config.json (and special_tokens_map.json) it applies what transformers applies to every
/// fast tokenizer: <c>model_max_length</c>, <c>padding_side</c>, <c>truncation_side</c>, <c>pad_token</c>, and for
/// Llama/Gemma-style classes the <c>add_bos_token</c>/<c>add_eos_token</c> template. It does not apply the
/// per-class rewrites some transformers classes make at load (BERT's <c>do_lower_case</c>, GPT-2's
/// <c>add_prefix_space</c>) nor tokens listed only in <c>added_tokens_decoder</c>: files saved by transformers
/// already carry them in tokenizer.json.</para>
/// </remarks>
public sealed class Tokenizer
{
    // transformers rebuilds the post-processor from add_bos_token/add_eos_token for these tokenizer classes.
    private static readonly HashSet<string> s_bosEosClasses = new(StringComparer.Ordinal)
    {
        "LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer", "CodeLlamaTokenizerFast",
        "GemmaTokenizer", "GemmaTokenizerFast", "CohereTokenizer", "CohereTokenizerFast",
    };

    private readonly TokenizerPipeline _pipeline;
    private readonly int _padTypeId;

    private Tokenizer(TokenizerDefinition definition, TokenizerConfig config, string source)
    {
        bool rebuild = (config.AddBosToken is not null || config.AddEosToken is not null)
            && config.TokenizerClass is not null && s_bosEosClasses.Contains(config.TokenizerClass);
        var pipeline = new TokenizerPipeline(definition);
        if (rebuild)
        {
            pipeline.PostProcessor = BosEosTemplate(pipeline, config, source);
        }

        _pipeline = pipeline;
        PadToken = config.PadToken ?? definition.Padding?.PadToken;
        if (PadToken is not null && _pipeline.TokenToId(PadToken) is var padId and >= 0)
        {
            PadTokenId = padId;
        }

        _padTypeId = definition.Padding?.PadTypeId ?? 0;
        ModelMaxLength = config.ModelMaxLength;
        PaddingSide = config.PaddingSide ?? definition.Padding?.Direction ?? PaddingSide.Right;
        TruncationSide = config.TruncationSide ?? definition.TruncationDirection ?? TruncationSide.Right;
    }

    /// <summary>Gets the number of distinct tokens, added tokens included (transformers' <c>len(tokenizer)</c>).</summary>
    public int VocabularySize => _pipeline.VocabularySize;

    /// <summary>Gets the padding token, or <see langword="null"/> when the tokenizer has none.</summary>
    public string? PadToken { get; }

    /// <summary>Gets the padding token's id, or <see langword="null"/>.</summary>
    public int? PadTokenId { get; }

    /// <summary>Gets <c>model_max_length</c> from tokenizer_config.json, or <see langword="null"/> when unset (no limit).</summary>
    public int? ModelMaxLength { get; }

    /// <summary>Gets the side padding is added to (<c>padding_side</c>, default right).</summary>
    public PaddingSide PaddingSide { get; }

    /// <summary>Gets the side truncation removes tokens from (<c>truncation_side</c>, default right).</summary>
    public TruncationSide TruncationSide { get; }

    internal TokenizerPipeline Pipeline => _pipeline;

    /// <summary>Loads a tokenizer from a folder holding <c>tokenizer.json</c> (and optionally
    /// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>), or from a <c>tokenizer.json</c> file.</summary>
    /// <param name="path">The folder or the tokenizer.json file.</param>
    /// <exception cref="EmbeddingModelException">The files are missing, malformed or use an unsupported feature.</exception>
    public static Tokenizer Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            string json = Path.Combine(path, "tokenizer.json");
            return Load(ReadFile(json), ReadOptional(Path.Combine(path, "tokenizer_config.json")),
                ReadOptional(Path.Combine(path, "special_tokens_map.json")), json);
        }

        return Load(ReadFile(path), null, null, path);
    }

    /// <summary>Loads a tokenizer from a <c>tokenizer.json</c> file and a <c>tokenizer_config.json</c> file.</summary>
    /// <param name="tokenizerJsonPath">The tokenizer.json file.</param>
    /// <param name="tokenizerConfigPath">The tokenizer_config.json file, or <see langword="null"/>.</param>
    /// <exception cref="EmbeddingModelException">The files are missing, malformed or use an unsupported feature.</exception>
    public static Tokenizer Create(string tokenizerJsonPath, string? tokenizerConfigPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        return Load(ReadFile(tokenizerJsonPath), tokenizerConfigPath is null ? null : ReadFile(tokenizerConfigPath), null, tokenizerJsonPath);
    }

    /// <summary>Loads a tokenizer from streams. The streams are read from their current position and left open.</summary>
    /// <param name="tokenizerJson">The tokenizer.json content.</param>
    /// <param name="tokenizerConfig">The tokenizer_config.json content, or <see langword="null"/>.</param>
    /// <exception cref="EmbeddingModelException">The content is malformed or uses an unsupported feature.</exception>
    public static Tokenizer Create(Stream tokenizerJson, Stream? tokenizerConfig = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        return Load(ReadStream(tokenizerJson), tokenizerConfig is null ? null : ReadStream(tokenizerConfig), null, "tokenizer.json");
    }

    /// <summary>Loads a tokenizer from a folder or a tokenizer.json file, reading the files asynchronously.</summary>
    /// <param name="path">The folder or the tokenizer.json file.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="EmbeddingModelException">The files are missing, malformed or use an unsupported feature.</exception>
    public static async Task<Tokenizer> CreateAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            string json = Path.Combine(path, "tokenizer.json");
            byte[] tokenizer = await ReadFileAsync(json, cancellationToken).ConfigureAwait(false);
            string config = Path.Combine(path, "tokenizer_config.json");
            string map = Path.Combine(path, "special_tokens_map.json");
            byte[]? configBytes = File.Exists(config) ? await ReadFileAsync(config, cancellationToken).ConfigureAwait(false) : null;
            byte[]? mapBytes = File.Exists(map) ? await ReadFileAsync(map, cancellationToken).ConfigureAwait(false) : null;
            return Load(tokenizer, configBytes, mapBytes, json);
        }

        return Load(await ReadFileAsync(path, cancellationToken).ConfigureAwait(false), null, null, path);
    }

    /// <summary>Loads a tokenizer from streams, reading them asynchronously. The streams are left open.</summary>
    /// <param name="tokenizerJson">The tokenizer.json content.</param>
    /// <param name="tokenizerConfig">The tokenizer_config.json content, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="EmbeddingModelException">The content is malformed or uses an unsupported feature.</exception>
    public static async Task<Tokenizer> CreateAsync(Stream tokenizerJson, Stream? tokenizerConfig = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        byte[] json = await ReadStreamAsync(tokenizerJson, cancellationToken).ConfigureAwait(false);
        byte[]? config = tokenizerConfig is null ? null : await ReadStreamAsync(tokenizerConfig, cancellationToken).ConfigureAwait(false);
        return Load(json, config, null, "tokenizer.json");
    }

    /// <summary>Encodes one text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="options">Special tokens, padding and truncation; <see cref="EncodeOptions.Default"/> when null.</param>
    /// <returns>The tokens.</returns>
    public TokenizedText Encode(string text, EncodeOptions? options = null) => Encode(text, null, options);

    /// <summary>Encodes a text, or a pair of texts (for cross-encoders and sentence-pair tasks).</summary>
    /// <param name="text">The first text.</param>
    /// <param name="textPair">The second text, or <see langword="null"/>.</param>
    /// <param name="options">Special tokens, padding and truncation; <see cref="EncodeOptions.Default"/> when null.</param>
    /// <returns>The tokens of the text or pair.</returns>
    public TokenizedText Encode(string text, string? textPair, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= EncodeOptions.Default;
        (TruncationParams? truncation, PaddingParams? padding) = Resolve(options);
        TokenEncoding e = _pipeline.Encode(Sanitize(text), textPair is null ? null : Sanitize(textPair), options.AddSpecialTokens, truncation, padding);
        return new TokenizedText(e, this);
    }

    /// <summary>Encodes texts into row-major int64 buffers for a model. Each text is encoded independently (one
    /// text cannot affect another's tokens); padding to the longest or to the maximum length applies as requested,
    /// and rows are always padded to a common length in the buffers. An input that cannot be encoded (a null text,
    /// a pair the truncation strategy cannot fit) fails the call; encode one by one to isolate such inputs.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="options">Special tokens, padding and truncation; <see cref="EncodeOptions.Default"/> when null.</param>
    /// <returns>The batch.</returns>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return EncodeBatchCore(texts, null, options ?? EncodeOptions.Default);
    }

    /// <summary>Encodes pairs of texts (for cross-encoders) into row-major int64 buffers, as
    /// <see cref="EncodeBatch(IReadOnlyList{string}, EncodeOptions?)"/>.</summary>
    /// <param name="texts">The first texts.</param>
    /// <param name="textPairs">The second texts, one per first text.</param>
    /// <param name="options">Special tokens, padding and truncation; <see cref="EncodeOptions.Default"/> when null.</param>
    /// <returns>The batch.</returns>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string> textPairs, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(textPairs);
        if (texts.Count != textPairs.Count)
        {
            throw new ArgumentException($"There are {texts.Count} texts but {textPairs.Count} text pairs.", nameof(textPairs));
        }

        return EncodeBatchCore(texts, textPairs, options ?? EncodeOptions.Default);
    }

    /// <summary>Turns ids back into text with the tokenizer's decoder, as the Rust library's <c>decode</c> does (for
    /// debugging and round trips; transformers' <c>clean_up_tokenization_spaces</c> is not applied).</summary>
    /// <param name="ids">The token ids.</param>
    /// <param name="skipSpecialTokens">Whether special tokens are left out.</param>
    /// <returns>The text.</returns>
    /// <exception cref="NotSupportedException">The tokenizer's decoder is not supported.</exception>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false) => _pipeline.Decode(ids, skipSpecialTokens);

    /// <summary>Gets the id of a token (added tokens first, then the model's vocabulary).</summary>
    /// <param name="token">The token string.</param>
    /// <returns>The id, or <see langword="null"/> when the token is unknown.</returns>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        int id = _pipeline.TokenToId(token);
        return id >= 0 ? id : null;
    }

    /// <summary>Gets the token string of an id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The token, or <see langword="null"/> when the id is not in the vocabulary.</returns>
    public string? IdToToken(int id) => _pipeline.IdToToken(id);

    private TokenizedBatch EncodeBatchCore(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs, EncodeOptions options)
    {
        (TruncationParams? truncation, PaddingParams? padding) = Resolve(options);
        var encodings = new TokenEncoding[texts.Count];
        int longest = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            string text = texts[i] ?? throw new ArgumentException($"Text {i} of the batch is null.", nameof(texts));
            string? pair = pairs is null ? null : pairs[i] ?? throw new ArgumentException($"Text pair {i} of the batch is null.", nameof(pairs));
            encodings[i] = _pipeline.Encode(Sanitize(text), pair is null ? null : Sanitize(pair), options.AddSpecialTokens, truncation, padding);
            longest = Math.Max(longest, encodings[i].Length);
        }

        // Batch padding as Hugging Face's pad_encodings; then, for the rectangular buffers, any remaining ragged rows.
        PaddingParams batchPadding = padding ?? new PaddingParams(null, null, PadTokenId ?? 0, _padTypeId, PaddingSide);
        int length = padding is null ? longest : batchPadding.TargetLength(longest);
        foreach (TokenEncoding e in encodings)
        {
            length = Math.Max(length, e.Length);
        }

        var items = new TokenizedText[encodings.Length];
        long[] ids = new long[encodings.Length * length];
        long[] mask = new long[ids.Length];
        long[] types = new long[ids.Length];
        for (int i = 0; i < encodings.Length; i++)
        {
            TokenEncoding e = encodings[i];
            e.Pad(length, batchPadding.PadId, batchPadding.PadTypeId, batchPadding.Side);
            int row = i * length;
            for (int k = 0; k < length; k++)
            {
                ids[row + k] = e.Ids[k];
                mask[row + k] = e.AttentionMask[k];
                types[row + k] = e.TypeIds[k];
            }

            items[i] = new TokenizedText(e, this);
        }

        return new TokenizedBatch(items, ids, mask, types, length);
    }

    private (TruncationParams?, PaddingParams?) Resolve(EncodeOptions options)
    {
        if (options.MaxLength is { } m)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m, nameof(options.MaxLength));
        }

        if (options.PadToMultipleOf is { } multiple)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multiple, nameof(options.PadToMultipleOf));
        }

        // transformers: a max_length with neither padding nor an explicit truncation choice turns truncation on.
        bool truncate = options.Truncation ?? (options.MaxLength is not null && options.Padding == PaddingMode.None);
        TruncationParams? truncation = null;
        if (truncate && (options.MaxLength ?? ModelMaxLength) is { } limit)
        {
            truncation = new TruncationParams(limit, options.TruncationStrategy, TruncationSide);
        }

        PaddingParams? padding = null;
        if (options.Padding != PaddingMode.None)
        {
            int? fixedLength = null;
            if (options.Padding == PaddingMode.MaxLength)
            {
                fixedLength = options.MaxLength ?? ModelMaxLength;
            }

            // Padding to a maximum length that is not known means no padding, as in transformers.
            if (options.Padding == PaddingMode.Longest || fixedLength is not null)
            {
                int padId = PadTokenId ?? throw new InvalidOperationException(
                    "This tokenizer has no padding token (pad_token in tokenizer_config.json), so it cannot pad.");
                padding = new PaddingParams(fixedLength, options.PadToMultipleOf, padId, _padTypeId, PaddingSide);
            }
        }

        return (truncation, padding);
    }

    private static TemplateProcessing BosEosTemplate(TokenizerPipeline pipeline, TokenizerConfig config, string source)
    {
        bool addBos = config.AddBosToken ?? false;
        bool addEos = config.AddEosToken ?? false;
        string? bos = config.BosToken;
        string? eos = config.EosToken;
        if (addBos && bos is null)
        {
            throw new EmbeddingModelException(source, "add_bos_token is true but the tokenizer has no bos_token.");
        }

        if (addEos && eos is null)
        {
            throw new EmbeddingModelException(source, "add_eos_token is true but the tokenizer has no eos_token.");
        }

        // update_post_processor: "<bos>:0 $A:0 <eos>:0" and "... <bos>:1 $B:1 <eos>:1".
        var single = new List<TemplatePiece>();
        var pair = new List<TemplatePiece>();
        var specials = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        if (addBos)
        {
            single.Add(TemplatePiece.Token(bos!, 0));
            specials[bos!] = [Id(bos!)];
        }

        single.Add(TemplatePiece.Sequence(0, 0));
        if (addEos)
        {
            single.Add(TemplatePiece.Token(eos!, 0));
            specials[eos!] = [Id(eos!)];
        }

        pair.AddRange(single);
        if (addBos)
        {
            pair.Add(TemplatePiece.Token(bos!, 1));
        }

        pair.Add(TemplatePiece.Sequence(1, 1));
        if (addEos)
        {
            pair.Add(TemplatePiece.Token(eos!, 1));
        }

        return new TemplateProcessing(single, pair, specials);

        int Id(string token) => pipeline.TokenToId(token) is var id and >= 0
            ? id
            : throw new EmbeddingModelException(source, $"The special token '{token}' from tokenizer_config.json is not in the vocabulary.");
    }

    private static Tokenizer Load(byte[] json, byte[]? config, byte[]? specialTokensMap, string source)
    {
        try
        {
            TokenizerDefinition definition = TokenizerJsonReader.Read(json);
            TokenizerConfig settings = TokenizerConfig.Read(config, specialTokensMap);
            return new Tokenizer(definition, settings, source);
        }
        catch (PlatformNotSupportedException ex)
        {
            throw new EmbeddingModelException(source, ex.Message, ex);
        }
        catch (NotSupportedException ex)
        {
            throw new EmbeddingModelException(source, $"The tokenizer uses {ex.Message}, which this library does not support.", ex);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new EmbeddingModelException(source, $"The tokenizer files are invalid: {ex.Message}", ex);
        }
    }

    // Unpaired surrogates cannot be UTF-8; the Rust library receives U+FFFD for them, so do the same.
    private static string Sanitize(string text)
    {
        int i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return text;
        }

        StringBuilder? sb = null;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                sb ??= new StringBuilder(text);
                sb[i] = '\uFFFD';
            }
        }

        return sb?.ToString() ?? text;
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(path, $"Cannot read '{Path.GetFileName(path)}': {ex.Message}", ex);
        }
    }

    private static byte[]? ReadOptional(string path) => File.Exists(path) ? ReadFile(path) : null;

    private static async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(path, $"Cannot read '{Path.GetFileName(path)}': {ex.Message}", ex);
        }
    }

    private static byte[] ReadStream(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static async Task<byte[]> ReadStreamAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
