namespace Embeddings.Composition;

/// <content>Turning inputs into keys: hashing content, reading files and streams once.</content>
public sealed partial class CachingEmbeddingProvider
{
    private async ValueTask<PreparedInput> PrepareAsync(
        EmbeddingInput input, EmbeddingProviderMetadata metadata, EmbeddingRequestOptions? options, CancellationToken cancellationToken)
    {
        long max = _options.MaxInputBytes;
        switch (input.Kind)
        {
            case EmbeddingInputKind.Text:
                if (input.Text!.Length > max || EmbeddingCacheKeys.TextByteCount(input.Text) > max)
                {
                    return PreparedInput.Bypass(input);
                }

                EmbeddingCacheContext textContext = Context(metadata, EmbeddingModalities.Text, options);
                return new PreparedInput(input, EmbeddingCacheKeys.ForText(textContext, input.Text), textContext.Check);

            case EmbeddingInputKind.ImageBytes:
                if (input.ImageBytes.Length > max)
                {
                    return PreparedInput.Bypass(input);
                }

                EmbeddingCacheContext bytesContext = Context(metadata, EmbeddingModalities.Image, options);
                return new PreparedInput(input, EmbeddingCacheKeys.ForEncodedImage(bytesContext, input.ImageBytes.Span), bytesContext.Check);

            case EmbeddingInputKind.ImagePixels:
                if (EmbeddingCacheKeys.PixelsByteCount(input.Pixels!) > max)
                {
                    return PreparedInput.Bypass(input);
                }

                EmbeddingCacheContext pixelsContext = Context(metadata, EmbeddingModalities.Image, options);
                return new PreparedInput(input, EmbeddingCacheKeys.ForPixels(pixelsContext, input.Pixels!), pixelsContext.Check);

            case EmbeddingInputKind.ImageFile:
                return await PrepareFileAsync(input, metadata, options, cancellationToken).ConfigureAwait(false);

            case EmbeddingInputKind.ImageStream:
                return await PrepareStreamAsync(input, metadata, options, cancellationToken).ConfigureAwait(false);

            default:
                return PreparedInput.Bypass(input);
        }
    }

    /// <summary>Reads a file once: its bytes are hashed and then handed to the inner provider as an in-memory image.</summary>
    private async ValueTask<PreparedInput> PrepareFileAsync(
        EmbeddingInput input, EmbeddingProviderMetadata metadata, EmbeddingRequestOptions? options, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            var file = new FileStream(input.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                if (file.Length > _options.MaxInputBytes)
                {
                    return PreparedInput.Bypass(input);
                }

                bytes = new byte[file.Length];
                await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            // The inner provider opens it itself and reports the failure as it does for any unreadable file.
            return PreparedInput.Bypass(input);
        }

        EmbeddingCacheContext context = Context(metadata, EmbeddingModalities.Image, options);
        return new PreparedInput(EmbeddingInput.FromImage(bytes, input.Name), EmbeddingCacheKeys.ForEncodedImage(context, bytes), context.Check);
    }

    /// <summary>
    /// Reads a stream once, up to the hashing limit: within it, the bytes are hashed and handed on as an in-memory
    /// image; beyond it, what was read is put back in front of the rest of the stream and the input bypasses the cache.
    /// </summary>
    private async ValueTask<PreparedInput> PrepareStreamAsync(
        EmbeddingInput input, EmbeddingProviderMetadata metadata, EmbeddingRequestOptions? options, CancellationToken cancellationToken)
    {
        Stream stream = input.ImageStream!;
        long limit = Math.Min(_options.MaxInputBytes, Array.MaxLength - 1);
        byte[] buffer;
        int length;
        try
        {
            if (stream.CanSeek && stream.Length - stream.Position > limit)
            {
                return PreparedInput.Bypass(input);
            }

            (buffer, length) = await BoundedStreamReader.ReadAsync(stream, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return PreparedInput.Failed(input, EmbeddingResult.Failure(
                new EmbeddingInputException(EmbeddingInputError.Unreadable, input.ToString(), "the stream could not be read.", ex),
                _inner.Metadata.ProviderName));
        }

        ReadOnlyMemory<byte> bytes = buffer.AsMemory(0, length);
        if (length > limit)
        {
            return PreparedInput.Bypass(EmbeddingInput.FromImage(new PrefixedReadStream(bytes, stream), input.Name));
        }

        EmbeddingCacheContext context = Context(metadata, EmbeddingModalities.Image, options);
        return new PreparedInput(EmbeddingInput.FromImage(bytes, input.Name), EmbeddingCacheKeys.ForEncodedImage(context, bytes.Span), context.Check);
    }

    private EmbeddingCacheContext Context(EmbeddingProviderMetadata metadata, EmbeddingModalities modality, EmbeddingRequestOptions? options)
    {
        var key = new ContextKey(
            metadata,
            modality,
            modality == EmbeddingModalities.Text ? options?.PromptName : null,
            options?.Dimensions ?? metadata.Dimensions,
            options?.Normalize ?? true);
        if (_contexts.TryGetValue(key, out EmbeddingCacheContext context))
        {
            return context;
        }

        // Prompt names come from callers; a bound keeps odd callers from growing this without limit.
        if (_contexts.Count >= MaxRememberedContexts)
        {
            _contexts.Clear();
        }

        context = EmbeddingCacheKeys.CreateContext(_options.KeyPrefix, metadata, modality, options);
        _contexts.TryAdd(key, context);
        return context;
    }

    /// <summary>What the context hash depends on; metadata by reference, so a provider that reloads its model and
    /// publishes new metadata gets new contexts.</summary>
    private readonly record struct ContextKey(
        EmbeddingProviderMetadata Metadata, EmbeddingModalities Modality, string? Prompt, int Dimensions, bool Normalize);

    /// <summary>An input ready for the cache: the input to pass on (bytes read from a file or stream replace it), its
    /// key and check (no key: it bypasses the cache), or a failure found while reading it.</summary>
    private readonly record struct PreparedInput(EmbeddingInput Input, string? Key, ulong Check, EmbeddingResult? Failure = null)
    {
        public static PreparedInput Bypass(EmbeddingInput input) => new(input, null, 0);

        public static PreparedInput Failed(EmbeddingInput input, EmbeddingResult failure) => new(input, null, 0, failure);
    }
}
