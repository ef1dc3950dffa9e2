using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;

namespace Embeddings.Composition;

/// <summary>
/// The state of one <see cref="FallbackProvider.EmbedAsync"/> call: the inputs (streams made re-readable), each input's
/// result once it has one, its first and latest failure, and which inputs fell back.
/// </summary>
internal sealed class FallbackCall
{
    private readonly EmbeddingInput[] _inputs;
    private readonly long[]? _streamPositions;
    private readonly bool[]? _attempted;

    // Allocated at the first failure: a call that the primary serves in full pays for none of them.
    private bool[]? _fellBack;
    private FallbackFailure?[]? _first;
    private FallbackFailure?[]? _last;

    private FallbackCall(EmbeddingInput[] inputs, long[]? streamPositions, EmbeddingResult?[] results)
    {
        _inputs = inputs;
        _streamPositions = streamPositions;
        _attempted = streamPositions is null ? null : new bool[inputs.Length];
        Results = results;
    }

    public int Count => _inputs.Length;

    /// <summary>Gets the inputs, streams replaced by their bytes where they were read into memory.</summary>
    public EmbeddingInput[] Inputs => _inputs;

    /// <summary>Gets each input's final result, or <see langword="null"/> while it has none.</summary>
    public EmbeddingResult?[] Results { get; }

    /// <summary>Gets how many inputs were passed on after a failure.</summary>
    public int FellBack { get; private set; }

    /// <summary>
    /// Prepares a call. When more than one provider may receive an image stream, a seekable stream's position is
    /// remembered (to rewind it for the next provider) and any other stream is read into memory, up to
    /// <paramref name="maxStreamBytes"/>; a stream that fails to read or is too large fails its input at once.
    /// </summary>
    public static async ValueTask<FallbackCall> CreateAsync(
        IReadOnlyList<EmbeddingInput> inputs, bool reReadStreams, long maxStreamBytes, string providerName, CancellationToken cancellationToken)
    {
        var copy = new EmbeddingInput[inputs.Count];
        var results = new EmbeddingResult?[inputs.Count];
        long[]? positions = null;
        for (int i = 0; i < copy.Length; i++)
        {
            EmbeddingInput input = inputs[i];
            copy[i] = input;
            if (!reReadStreams || input.Kind != EmbeddingInputKind.ImageStream)
            {
                continue;
            }

            Stream stream = input.ImageStream!;
            if (TryGetPosition(stream) is { } position)
            {
                positions ??= CreatePositions(copy.Length);
                positions[i] = position;
                continue;
            }

            (EmbeddingInput? buffered, EmbeddingException? error) = await BufferAsync(input, maxStreamBytes, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                results[i] = EmbeddingResult.Failure(error, providerName);
            }
            else
            {
                copy[i] = buffered!;
            }
        }

        return new FallbackCall(copy, positions, results);
    }

    public EmbeddingInput Input(int index) => _inputs[index];

    /// <summary>Gets whether an input still waits for a result.</summary>
    public bool IsPending(int index) => Results[index] is null;

    /// <summary>Gets the latest failure of an input, if it failed on a provider already.</summary>
    public FallbackFailure? LastFailure(int index) => _last?[index];

    /// <summary>Records that an input is about to be passed on after a failure.</summary>
    public void MarkFellBack(int index)
    {
        _fellBack ??= new bool[_inputs.Length];
        if (!_fellBack[index])
        {
            _fellBack[index] = true;
            FellBack++;
        }
    }

    /// <summary>
    /// Gets the input to send to the next provider: a stream that a provider read already is rewound first. Returns
    /// <see langword="null"/>, after failing the input, when it cannot be rewound.
    /// </summary>
    public EmbeddingInput? TakeForAttempt(int index, string providerName)
    {
        EmbeddingInput input = _inputs[index];
        if (_attempted is null)
        {
            return input;
        }

        if (_attempted[index] && _streamPositions![index] is var position and >= 0)
        {
            try
            {
                input.ImageStream!.Position = position;
            }
            catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
            {
                Results[index] = EmbeddingResult.Failure(
                    new EmbeddingInputException(EmbeddingInputError.Unreadable, input.ToString(), "the stream could not be rewound for the fallback provider.", ex),
                    providerName);
                return null;
            }
        }

        _attempted[index] = true;
        return input;
    }

    public void Fail(int index, FallbackFailure failure)
    {
        _first ??= new FallbackFailure?[_inputs.Length];
        _last ??= new FallbackFailure?[_inputs.Length];
        _first[index] ??= failure;
        _last[index] = failure;
    }

    /// <summary>Stores a provider's successful result; after a fallback, the vector is stamped with why and from
    /// where (in <see cref="Embedding.AdditionalProperties"/>).</summary>
    public void Serve(int index, EmbeddingResult result)
    {
        if (_first?[index] is not { } first)
        {
            Results[index] = result;
            return;
        }

        Embedding<float> served = result.Embedding!;
        var stamped = new Embedding<float>(served.Vector)
        {
            ModelId = served.ModelId,
            CreatedAt = served.CreatedAt,
            AdditionalProperties = served.AdditionalProperties is { } existing ? new AdditionalPropertiesDictionary(existing) : [],
        };
        stamped.AdditionalProperties[FallbackProvider.FallbackReasonProperty] = first.Reason;
        stamped.AdditionalProperties[FallbackProvider.FallbackFromProperty] = first.ProviderName;
        Results[index] = EmbeddingResult.Success(stamped, result.ProviderName);
    }

    /// <summary>
    /// Gives every input still without a result its latest failure. When nothing succeeded and every input's latest
    /// failure is one exception thrown by a provider's call (an option no provider supports, for example), that
    /// exception is rethrown, as any provider would throw it.
    /// </summary>
    public EmbeddingResult[] Finish(string providerName, EmbeddingModalities modalities)
    {
        Exception? common = null;
        bool rethrow = true;
        for (int i = 0; i < Results.Length; i++)
        {
            if (Results[i] is { } done)
            {
                rethrow = false;
                continue;
            }

            if (_last?[i] is not { } failure)
            {
                rethrow = false;
                Results[i] = EmbeddingResult.Failure(
                    new EmbeddingInputException(
                        EmbeddingInputError.UnsupportedModality,
                        _inputs[i].ToString(),
                        $"cannot be embedded: no provider of the fallback chain embeds {_inputs[i].Modality} input (the chain embeds {modalities})."),
                    providerName);
                continue;
            }

            if (failure.Thrown is { } thrown)
            {
                rethrow &= common is null || ReferenceEquals(common, thrown);
                common = thrown;
                Results[i] = EmbeddingResult.Failure(
                    new EmbeddingException($"The embedding provider '{failure.ProviderName}' failed ({thrown.GetType().Name}) for {_inputs[i]}.", thrown),
                    failure.ProviderName);
            }
            else
            {
                rethrow = false;
                Results[i] = EmbeddingResult.Failure(failure.Error!, failure.ProviderName);
            }
        }

        if (rethrow && common is not null)
        {
            ExceptionDispatchInfo.Throw(common);
        }

        return Results!;
    }

    private static long? TryGetPosition(Stream stream)
    {
        try
        {
            return stream.CanSeek ? stream.Position : null;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
        {
            return null;
        }
    }

    private static long[] CreatePositions(int count)
    {
        long[] positions = new long[count];
        Array.Fill(positions, -1);
        return positions;
    }

    private static async ValueTask<(EmbeddingInput? Input, EmbeddingException? Error)> BufferAsync(
        EmbeddingInput input, long limit, CancellationToken cancellationToken)
    {
        byte[] buffer;
        int length;
        try
        {
            (buffer, length) = await BoundedStreamReader.ReadAsync(input.ImageStream!, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, new EmbeddingInputException(EmbeddingInputError.Unreadable, input.ToString(), "the stream could not be read.", ex));
        }

        if (length > limit)
        {
            return (null, new EmbeddingInputException(
                EmbeddingInputError.TooLarge, input.ToString(), $"the stream holds more than {limit} bytes, the most read from a stream that cannot be rewound."));
        }

        return (EmbeddingInput.FromImage(buffer.AsMemory(0, length), input.Name), null);
    }
}
