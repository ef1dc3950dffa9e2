using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>Reads and releases <c>OrtStatus*</c> values and turns them into this library's exceptions.</summary>
internal static unsafe class OrtStatus
{
    // OrtErrorCode names, by value, as the C header spells them.
    private static readonly string[] s_codeNames =
    [
        "OK", "FAIL", "INVALID_ARGUMENT", "NO_SUCHFILE", "NO_MODEL", "ENGINE_ERROR", "RUNTIME_EXCEPTION",
        "INVALID_PROTOBUF", "MODEL_LOADED", "NOT_IMPLEMENTED", "INVALID_GRAPH", "EP_FAIL", "MODEL_LOAD_CANCELED",
        "MODEL_REQUIRES_COMPILATION", "NOT_FOUND",
    ];

    /// <summary>Gets the name of an <c>OrtErrorCode</c>, for messages.</summary>
    public static string CodeName(int code) =>
        (uint)code < (uint)s_codeNames.Length ? s_codeNames[code] : "ERROR_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the code and message of a non-NULL status and releases it.</summary>
    public static string Take(OrtApi api, IntPtr status, out int code)
    {
        try
        {
            code = api.GetErrorCode(status);
            return (Marshal.PtrToStringUTF8((IntPtr)api.GetErrorMessage(status)) ?? string.Empty).TrimEnd();
        }
        finally
        {
            api.ReleaseStatus(status);
        }
    }

    /// <summary>Throws an <see cref="EmbeddingInferenceException"/> for a failed runtime call; does nothing on
    /// success.</summary>
    /// <param name="api">The function table.</param>
    /// <param name="status">The returned status (NULL on success); released here.</param>
    /// <param name="operation">What was being done, for the message (for example "reading the outputs of model 'x'").</param>
    public static void ThrowIfFailed(OrtApi api, IntPtr status, string operation)
    {
        if (status != IntPtr.Zero)
        {
            throw ToInferenceException(api, status, operation);
        }
    }

    /// <summary>Builds an <see cref="EmbeddingInferenceException"/> from a non-NULL status, releasing it.</summary>
    public static EmbeddingInferenceException ToInferenceException(OrtApi api, IntPtr status, string operation)
    {
        string message = Take(api, status, out int code);
        return new EmbeddingInferenceException(code, $"ONNX Runtime failed {operation} ({CodeName(code)}): {message}");
    }
}
