using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

/// <summary>
/// GLib's <c>GValue</c> on 64-bit platforms: a type tag followed by two 8-byte data words, 24 bytes. Only native code
/// reads or writes it; zero-initialised it equals <c>G_VALUE_INIT</c>, which <c>g_value_init</c> expects.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 24)]
internal struct GValue
{
}
