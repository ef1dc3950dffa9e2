using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx;

/// <summary>
/// A loaded ONNX model: its inputs and outputs, and <see cref="Run"/>, which may be called from many threads at once.
/// </summary>
/// <remarks>
/// Creating a session is expensive (the model is parsed and optimized): create it once and reuse it. Dispose it when
/// done; a dispose during runs releases the native session only after they return.
/// </remarks>
internal sealed unsafe class OnnxSession : IDisposable
{
    private const int OnnxTypeTensor = 1;
    private const int InvalidArgument = 2;
    private const int NotImplemented = 9;
    private const int StackLimit = 32;

    private readonly OnnxRuntime _runtime;
    private readonly OrtSessionHandle _handle;

    // Null-terminated UTF-8 names on the pinned object heap: Run passes their addresses without converting or pinning.
    private readonly byte[][] _inputNames;
    private readonly byte[][] _outputNames;

    private readonly string _logId;

    private OnnxSession(OnnxRuntime runtime, OrtSessionHandle handle, string modelName, string logId, OnnxExecutionProvider provider)
    {
        _runtime = runtime;
        _handle = handle;
        _logId = logId;
        ModelName = modelName;
        ExecutionProvider = provider;
        Inputs = ReadInfos(runtime, handle.DangerousGetHandle(), isInput: true);
        Outputs = ReadInfos(runtime, handle.DangerousGetHandle(), isInput: false);
        _inputNames = Inputs.Select(i => PinnedUtf8(i.Name)).ToArray();
        _outputNames = Outputs.Select(o => PinnedUtf8(o.Name)).ToArray();
    }

    /// <summary>Gets the model's name in messages: its path, or the name given with its bytes.</summary>
    public string ModelName { get; }

    /// <summary>Gets where the model runs (the CPU after a permitted fallback from CUDA).</summary>
    public OnnxExecutionProvider ExecutionProvider { get; }

    /// <summary>Gets the model's inputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>Gets the model's outputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>Gets the version of the ONNX Runtime running the model.</summary>
    public string RuntimeVersion => _runtime.Version;

    /// <summary>Loads a model file.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file (external data files beside it are found by ONNX Runtime).</param>
    /// <param name="options">Runtime options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where warnings (and ONNX Runtime's own) go.</param>
    /// <returns>The session; dispose it.</returns>
    /// <exception cref="EmbeddingModelException">The file is missing or is not a model ONNX Runtime can load.</exception>
    /// <exception cref="NativeLibraryException">ONNX Runtime, or the CUDA provider asked for, is not usable.</exception>
    public static OnnxSession Create(string modelPath, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        string fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new EmbeddingModelException(fullPath, $"The ONNX model file '{fullPath}' does not exist.");
        }

        return Create(fullPath, options, logger, (api, env, sessionOptions, session) =>
        {
            if (OperatingSystem.IsWindows())
            {
                // ORTCHAR_T is wchar_t on Windows.
                fixed (char* path = fullPath)
                {
                    return api.CreateSession(env, path, sessionOptions, session);
                }
            }

            fixed (byte* path = Utf8z(fullPath))
            {
                return api.CreateSession(env, path, sessionOptions, session);
            }
        });
    }

    /// <summary>Loads a model from memory.</summary>
    /// <param name="model">The model's bytes (copied by ONNX Runtime during the call).</param>
    /// <param name="modelName">A name for the model in messages.</param>
    /// <param name="options">Runtime options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where warnings (and ONNX Runtime's own) go.</param>
    /// <returns>The session; dispose it.</returns>
    /// <exception cref="EmbeddingModelException">The bytes are not a model ONNX Runtime can load.</exception>
    /// <exception cref="NativeLibraryException">ONNX Runtime, or the CUDA provider asked for, is not usable.</exception>
    public static OnnxSession Create(ReadOnlyMemory<byte> model, string modelName, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        if (model.IsEmpty)
        {
            throw new EmbeddingModelException(modelName, $"The ONNX model '{modelName}' is empty (0 bytes).");
        }

        return Create(modelName, options, logger, (api, env, sessionOptions, session) =>
        {
            fixed (byte* bytes = model.Span)
            {
                return api.CreateSessionFromArray(env, bytes, (nuint)model.Length, sessionOptions, session);
            }
        });
    }

    /// <summary>Runs the model.</summary>
    /// <param name="inputNames">The names of the inputs given, in the order of <paramref name="inputs"/>.</param>
    /// <param name="inputs">The input tensors; they must stay undisposed for the call (they are referenced during it).</param>
    /// <param name="outputNames">The outputs wanted; empty for all of them, in the model's order.</param>
    /// <param name="cancellationToken">Stops the run between two operators when cancelled.</param>
    /// <returns>The outputs, in the order of <paramref name="outputNames"/>; dispose them.</returns>
    /// <exception cref="EmbeddingInferenceException">An input is unknown, missing or of the wrong type or shape, an
    /// output is unknown, or ONNX Runtime failed; the message names the model.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the run.</exception>
    /// <exception cref="ObjectDisposedException">The session or an input tensor was disposed.</exception>
    public OnnxOutputs Run(ReadOnlySpan<string> inputNames, ReadOnlySpan<OnnxTensor> inputs, ReadOnlySpan<string> outputNames = default, CancellationToken cancellationToken = default)
    {
        if (inputNames.Length != inputs.Length)
        {
            throw new ArgumentException($"{inputNames.Length} input names were given for {inputs.Length} inputs.", nameof(inputNames));
        }

        cancellationToken.ThrowIfCancellationRequested();
        OrtApi api = _runtime.Api;
        int inputCount = inputs.Length;
        int outputCount = outputNames.IsEmpty ? Outputs.Count : outputNames.Length;

        Span<IntPtr> inputNamePtrs = inputCount <= StackLimit ? stackalloc IntPtr[inputCount] : new IntPtr[inputCount];
        Span<IntPtr> inputValues = inputCount <= StackLimit ? stackalloc IntPtr[inputCount] : new IntPtr[inputCount];
        Span<int> outputIndices = outputCount <= StackLimit ? stackalloc int[outputCount] : new int[outputCount];
        Span<IntPtr> outputNamePtrs = outputCount <= StackLimit ? stackalloc IntPtr[outputCount] : new IntPtr[outputCount];
        Span<IntPtr> outputValues = outputCount <= StackLimit ? stackalloc IntPtr[outputCount] : new IntPtr[outputCount];
        outputValues.Clear();

        for (int i = 0; i < inputCount; i++)
        {
            int index = IndexOf(Inputs, inputNames[i], "input");
            OnnxTensor tensor = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"Input '{inputNames[i]}' is null.");
            OnnxTensorInfo info = Inputs[index];
            if (info.IsTensor && tensor.ElementType != info.ElementType)
            {
                throw new EmbeddingInferenceException(InvalidArgument,
                    $"Input '{info.Name}' of model '{ModelName}' takes {OnnxElementTypes.Name(info.ElementType)} elements ({info}), " +
                    $"but a tensor of {OnnxElementTypes.Name(tensor.ElementType)} was given.");
            }

            inputNamePtrs[i] = AddressOf(_inputNames[index]);
        }

        for (int i = 0; i < outputCount; i++)
        {
            int index = outputNames.IsEmpty ? i : IndexOf(Outputs, outputNames[i], "output");
            outputIndices[i] = index;
            outputNamePtrs[i] = AddressOf(_outputNames[index]);
        }

        bool sessionReferenced = false;
        int referencedInputs = 0;
        OrtRunOptionsHandle? runOptions = null;
        CancellationTokenRegistration registration = default;
        try
        {
            // References keep the session and the inputs alive even if another thread disposes them meanwhile.
            _handle.DangerousAddRef(ref sessionReferenced);
            for (; referencedInputs < inputCount; referencedInputs++)
            {
                bool added = false;
                inputs[referencedInputs].DangerousAddRef(ref added);
                inputValues[referencedInputs] = inputs[referencedInputs].DangerousGetHandle();
            }

            if (cancellationToken.CanBeCanceled)
            {
                runOptions = CreateRunOptions(api);
                registration = cancellationToken.UnsafeRegister(static state => Terminate((OrtRunOptionsHandle)state!), runOptions);
            }

            IntPtr status;
            fixed (IntPtr* inNames = inputNamePtrs, inValues = inputValues, outNames = outputNamePtrs, outValues = outputValues)
            {
                status = api.Run(_handle.DangerousGetHandle(), runOptions?.DangerousGetHandle() ?? IntPtr.Zero,
                    inNames, inValues, (nuint)inputCount, outNames, (nuint)outputCount, outValues);
            }

            // Wait for a callback that may be setting the terminate flag before the run options go away.
            registration.Dispose();
            if (status != IntPtr.Zero)
            {
                string message = OrtStatus.Take(api, status, out int code);
                cancellationToken.ThrowIfCancellationRequested();
                throw new EmbeddingInferenceException(code,
                    $"ONNX Runtime failed to run model '{ModelName}' ({OrtStatus.CodeName(code)}): {message}");
            }

            return ReadOutputs(api, outputIndices, outputValues);
        }
        finally
        {
            registration.Dispose();
            runOptions?.Dispose();
            foreach (IntPtr value in outputValues)
            {
                if (value != IntPtr.Zero)
                {
                    api.ReleaseValue(value);
                }
            }

            for (int i = 0; i < referencedInputs; i++)
            {
                inputs[i].DangerousRelease();
            }

            if (sessionReferenced)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Releases the session (after any runs in progress).</summary>
    public void Dispose()
    {
        _handle.Dispose();
        OnnxRuntime.ReleaseSessionLogId(_logId);
    }

    /// <inheritdoc />
    public override string ToString() => $"ONNX session '{ModelName}' ({ExecutionProvider}): inputs [{string.Join("; ", Inputs)}], outputs [{string.Join("; ", Outputs)}]";

    private delegate IntPtr CreateSessionCall(OrtApi api, IntPtr env, IntPtr sessionOptions, IntPtr* session);

    private static OnnxSession Create(string modelName, OnnxRuntimeOptions? options, ILogger? logger, CreateSessionCall create)
    {
        options ??= new OnnxRuntimeOptions();
        Validate(options);
        long started = Stopwatch.GetTimestamp();
        OnnxRuntime runtime = OnnxRuntime.Get(options.LibraryPath, logger);
        OrtApi api = runtime.Api;
        OnnxExecutionProvider provider = options.ExecutionProvider;

        var handle = new OrtSessionHandle();
        string logId = OnnxRuntime.CreateSessionLogId(modelName, logger);
        try
        {
            IntPtr session;
            IntPtr status;
            using (OrtSessionOptionsHandle sessionOptions = CreateSessionOptions(runtime, options, modelName, logId, logger, ref provider))
            {
                status = create(api, runtime.Env, sessionOptions.DangerousGetHandle(), &session);
            }

            if (status != IntPtr.Zero && provider == OnnxExecutionProvider.Cuda && options.AllowCpuFallback)
            {
                // The provider was accepted but the session could not use it (for example no CUDA device).
                string reason = OrtStatus.Take(api, status, out _);
                if (logger is not null)
                {
                    OnnxLog.CudaFallback(logger, modelName, reason);
                }

                provider = OnnxExecutionProvider.Cpu;
                using OrtSessionOptionsHandle cpuOptions = CreateSessionOptions(runtime, options, modelName, logId, logger, ref provider);
                status = create(api, runtime.Env, cpuOptions.DangerousGetHandle(), &session);
            }

            if (status != IntPtr.Zero)
            {
                string message = OrtStatus.Take(api, status, out int code);
                throw new EmbeddingModelException(modelName,
                    $"ONNX Runtime {runtime.Version} could not load the model '{modelName}' ({OrtStatus.CodeName(code)}): {message}",
                    new EmbeddingInferenceException(code, message));
            }

            handle.Attach(session);
            var result = new OnnxSession(runtime, handle, modelName, logId, provider);
            if (logger is not null)
            {
                OnnxLog.SessionCreated(logger, runtime.Version, modelName, provider, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return result;
        }
        catch
        {
            handle.Dispose();
            OnnxRuntime.ReleaseSessionLogId(logId);
            throw;
        }
    }

    private static void Validate(OnnxRuntimeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads, "OnnxRuntimeOptions.IntraOpThreads");
        ArgumentOutOfRangeException.ThrowIfNegative(options.InterOpThreads, "OnnxRuntimeOptions.InterOpThreads");
        ArgumentOutOfRangeException.ThrowIfNegative(options.CudaDeviceId, "OnnxRuntimeOptions.CudaDeviceId");
        if (!Enum.IsDefined(options.GraphOptimizationLevel))
        {
            throw new ArgumentOutOfRangeException("OnnxRuntimeOptions.GraphOptimizationLevel", options.GraphOptimizationLevel, "Not a known level.");
        }

        if (!Enum.IsDefined(options.ExecutionMode))
        {
            throw new ArgumentOutOfRangeException("OnnxRuntimeOptions.ExecutionMode", options.ExecutionMode, "Not a known mode.");
        }

        if (!Enum.IsDefined(options.ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException("OnnxRuntimeOptions.ExecutionProvider", options.ExecutionProvider, "Not a known provider.");
        }
    }

    private static OrtSessionOptionsHandle CreateSessionOptions(OnnxRuntime runtime, OnnxRuntimeOptions options, string modelName, string logId, ILogger? logger, ref OnnxExecutionProvider provider)
    {
        OrtApi api = runtime.Api;
        var handle = new OrtSessionOptionsHandle();
        try
        {
            IntPtr created;
            OrtStatus.ThrowIfFailed(api, api.CreateSessionOptions(&created), "creating session options");
            handle.Attach(created);
            IntPtr so = created;

            fixed (byte* id = Utf8z(logId))
            {
                OrtStatus.ThrowIfFailed(api, api.SetSessionLogId(so, id), "setting the session log id");
            }

            OrtStatus.ThrowIfFailed(api, api.SetIntraOpNumThreads(so, options.IntraOpThreads), "applying OnnxRuntimeOptions.IntraOpThreads");
            OrtStatus.ThrowIfFailed(api, api.SetInterOpNumThreads(so, options.InterOpThreads), "applying OnnxRuntimeOptions.InterOpThreads");
            OrtStatus.ThrowIfFailed(api, api.SetSessionGraphOptimizationLevel(so, (int)options.GraphOptimizationLevel), "applying OnnxRuntimeOptions.GraphOptimizationLevel");
            OrtStatus.ThrowIfFailed(api, api.SetSessionExecutionMode(so, (int)options.ExecutionMode), "applying OnnxRuntimeOptions.ExecutionMode");
            OrtStatus.ThrowIfFailed(api, options.EnableCpuMemoryArena ? api.EnableCpuMemArena(so) : api.DisableCpuMemArena(so), "applying OnnxRuntimeOptions.EnableCpuMemoryArena");
            foreach ((string key, string value) in options.SessionConfigEntries)
            {
                fixed (byte* k = Utf8z(key), v = Utf8z(value ?? string.Empty))
                {
                    OrtStatus.ThrowIfFailed(api, api.AddSessionConfigEntry(so, k, v), $"applying the session configuration entry '{key}'");
                }
            }

            if (provider == OnnxExecutionProvider.Cuda)
            {
                string? failure = TryAppendCuda(api, so, options.CudaDeviceId);
                if (failure is not null)
                {
                    if (!options.AllowCpuFallback)
                    {
                        throw CudaUnavailable(runtime, modelName, failure);
                    }

                    if (logger is not null)
                    {
                        OnnxLog.CudaFallback(logger, modelName, failure);
                    }

                    provider = OnnxExecutionProvider.Cpu;
                }
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // Returns ONNX Runtime's message when the CUDA provider cannot be added, null when it was added.
    private static string? TryAppendCuda(OrtApi api, IntPtr sessionOptions, int deviceId)
    {
        using var cudaOptions = new OrtCudaProviderOptionsHandle();
        IntPtr created;
        IntPtr status = api.CreateCudaProviderOptions(&created);
        if (status == IntPtr.Zero)
        {
            cudaOptions.Attach(created);
            fixed (byte* key = "device_id\0"u8, value = Utf8z(deviceId.ToString(CultureInfo.InvariantCulture)))
            {
                byte** keys = stackalloc byte*[] { key };
                byte** values = stackalloc byte*[] { value };
                status = api.UpdateCudaProviderOptions(created, keys, values, 1);
            }
        }

        if (status == IntPtr.Zero)
        {
            status = api.SessionOptionsAppendExecutionProviderCudaV2(sessionOptions, created);
        }

        return status == IntPtr.Zero ? null : OrtStatus.Take(api, status, out _);
    }

    private static NativeLibraryException CudaUnavailable(OnnxRuntime runtime, string modelName, string reason)
    {
        string? dir = Path.IsPathRooted(runtime.LibrarySource) ? Path.GetDirectoryName(runtime.LibrarySource) : null;
        string[] files = OperatingSystem.IsWindows()
            ? ["onnxruntime_providers_shared.dll", "onnxruntime_providers_cuda.dll"]
            : ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];
        string[] searched = dir is null ? files : files.Select(f => Path.Combine(dir, f)).ToArray();
        string[] missing = dir is null ? [] : searched.Where(f => !File.Exists(f)).ToArray();
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"The CUDA execution provider cannot be used for model '{modelName}': {reason}")
            .AppendLine()
            .Append(CultureInfo.InvariantCulture, $"GPU inference needs, next to the ONNX Runtime library ({dir ?? runtime.LibrarySource}), ")
            .Append(CultureInfo.InvariantCulture, $"{files[0]} and {files[1]} of the same version ({runtime.Version}), as the Microsoft.ML.OnnxRuntime.Gpu package ships them, ")
            .Append("plus the CUDA 12 runtime (cudart, cuBLAS, cuFFT) and cuDNN 9 where the system loader finds them, and an NVIDIA GPU with its driver.");
        if (missing.Length > 0)
        {
            message.AppendLine().Append("Missing: ").Append(string.Join(", ", missing)).Append('.');
        }

        message.AppendLine().Append("To run on the CPU instead, use OnnxExecutionProvider.Cpu or set OnnxRuntimeOptions.AllowCpuFallback.");
        return new NativeLibraryException("onnxruntime_providers_cuda", searched, message.ToString());
    }

    private static OrtRunOptionsHandle CreateRunOptions(OrtApi api)
    {
        var handle = new OrtRunOptionsHandle();
        IntPtr created;
        OrtStatus.ThrowIfFailed(api, api.CreateRunOptions(&created), "creating run options");
        handle.Attach(created);
        return handle;
    }

    private static void Terminate(OrtRunOptionsHandle runOptions)
    {
        OrtApi api = OnnxRuntime.LoadedApi;
        IntPtr status = api.RunOptionsSetTerminate(runOptions.DangerousGetHandle());
        if (status != IntPtr.Zero)
        {
            api.ReleaseStatus(status);
        }
    }

    private OnnxOutputs ReadOutputs(OrtApi api, ReadOnlySpan<int> outputIndices, Span<IntPtr> outputValues)
    {
        var outputs = new OnnxOutputs(outputIndices.Length);
        try
        {
            Span<long> dims = stackalloc long[StackLimit];
            for (int i = 0; i < outputIndices.Length; i++)
            {
                string name = Outputs[outputIndices[i]].Name;
                IntPtr value = outputValues[i];
                IntPtr info;
                IntPtr status = api.GetTensorTypeAndShape(value, &info);
                if (status != IntPtr.Zero)
                {
                    throw OrtStatus.ToInferenceException(api, status, $"to read output '{name}' of model '{ModelName}' (is it a tensor?)");
                }

                int elementType;
                nuint rank;
                nuint count;
                try
                {
                    OrtStatus.ThrowIfFailed(api, api.GetTensorElementType(info, &elementType), "reading an output's element type");
                    OrtStatus.ThrowIfFailed(api, api.GetDimensionsCount(info, &rank), "reading an output's rank");
                    if (rank > (nuint)dims.Length)
                    {
                        dims = new long[(int)rank];
                    }

                    fixed (long* d = dims)
                    {
                        OrtStatus.ThrowIfFailed(api, api.GetDimensions(info, d, rank), "reading an output's shape");
                    }

                    OrtStatus.ThrowIfFailed(api, api.GetTensorShapeElementCount(info, &count), "reading an output's size");
                }
                finally
                {
                    api.ReleaseTensorTypeAndShapeInfo(info);
                }

                var type = (OnnxElementType)elementType;
                if (!OnnxElementTypes.IsSupported(type))
                {
                    throw new EmbeddingInferenceException(NotImplemented,
                        $"Output '{name}' of model '{ModelName}' holds {OnnxElementTypes.Name(type)} elements, which this library does not read.");
                }

                long bytes = (long)count * OnnxElementTypes.SizeOf(type);
                if (bytes > Array.MaxLength)
                {
                    throw new EmbeddingInferenceException(NotImplemented,
                        $"Output '{name}' of model '{ModelName}' is {bytes} bytes, more than one buffer holds; run smaller batches.");
                }

                void* data = null;
                if (bytes > 0)
                {
                    OrtStatus.ThrowIfFailed(api, api.GetTensorMutableData(value, &data), "reading an output's data");
                }

                outputs.Set(i, name, type, dims[..(int)rank], (long)count, new ReadOnlySpan<byte>(data, (int)bytes));

                // Release each output as soon as it is copied, so peak native memory stays one output lower.
                api.ReleaseValue(value);
                outputValues[i] = IntPtr.Zero;
            }

            return outputs;
        }
        catch
        {
            outputs.Dispose();
            throw;
        }
    }

    private int IndexOf(IReadOnlyList<OnnxTensorInfo> infos, string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < infos.Count; i++)
        {
            if (string.Equals(infos[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new EmbeddingInferenceException(InvalidArgument,
            $"Model '{ModelName}' has no {kind} named '{name}'; its {kind}s are: {string.Join("; ", infos)}.");
    }

    private static IReadOnlyList<OnnxTensorInfo> ReadInfos(OnnxRuntime runtime, IntPtr session, bool isInput)
    {
        OrtApi api = runtime.Api;
        string kind = isInput ? "inputs" : "outputs";
        nuint count;
        OrtStatus.ThrowIfFailed(api, isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count), "counting the model's " + kind);
        var infos = new OnnxTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            OrtStatus.ThrowIfFailed(api, isInput
                ? api.SessionGetInputName(session, i, runtime.DefaultAllocator, &rawName)
                : api.SessionGetOutputName(session, i, runtime.DefaultAllocator, &rawName), "reading the model's " + kind);
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((IntPtr)rawName) ?? string.Empty;
            }
            finally
            {
                OrtStatus.ThrowIfFailed(api, api.AllocatorFree(runtime.DefaultAllocator, rawName), "freeing a name");
            }

            using var typeInfo = new OrtTypeInfoHandle();
            IntPtr created;
            OrtStatus.ThrowIfFailed(api, isInput
                ? api.SessionGetInputTypeInfo(session, i, &created)
                : api.SessionGetOutputTypeInfo(session, i, &created), "reading the type of " + name);
            typeInfo.Attach(created);
            infos[(int)i] = ReadInfo(api, name, created);
        }

        return Array.AsReadOnly(infos);
    }

    private static OnnxTensorInfo ReadInfo(OrtApi api, string name, IntPtr typeInfo)
    {
        int onnxType;
        OrtStatus.ThrowIfFailed(api, api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), "reading the type of " + name);
        if (onnxType != OnnxTypeTensor)
        {
            return new OnnxTensorInfo(name, false, OnnxElementType.Undefined, [], []);
        }

        IntPtr tensorInfo; // owned by typeInfo
        OrtStatus.ThrowIfFailed(api, api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "reading the tensor type of " + name);
        int elementType;
        nuint rank;
        OrtStatus.ThrowIfFailed(api, api.GetTensorElementType(tensorInfo, &elementType), "reading the element type of " + name);
        OrtStatus.ThrowIfFailed(api, api.GetDimensionsCount(tensorInfo, &rank), "reading the rank of " + name);
        var shape = new long[(int)rank];
        var symbols = new IntPtr[(int)rank];
        fixed (long* d = shape)
        fixed (IntPtr* s = symbols)
        {
            OrtStatus.ThrowIfFailed(api, api.GetDimensions(tensorInfo, d, rank), "reading the shape of " + name);
            OrtStatus.ThrowIfFailed(api, api.GetSymbolicDimensions(tensorInfo, (byte**)s, rank), "reading the dimension names of " + name);
        }

        string[] names = symbols.Select(p => p == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(p) ?? string.Empty).ToArray();
        return new OnnxTensorInfo(name, true, (OnnxElementType)elementType, Array.AsReadOnly(shape), Array.AsReadOnly(names));
    }

    // A null-terminated UTF-8 copy on the pinned object heap, for names kept for the session's lifetime.
    private static byte[] PinnedUtf8(string value)
    {
        byte[] bytes = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(value) + 1, pinned: true);
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    // A null-terminated UTF-8 copy for a single call (pin it with fixed).
    private static byte[] Utf8z(string value)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static IntPtr AddressOf(byte[] pinned) => (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
