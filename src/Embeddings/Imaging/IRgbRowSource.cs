namespace Embeddings.Imaging;

/// <summary>
/// Upright 8-bit RGB rows read top to bottom, a strip at a time, so a resize can consume an image while it is being
/// decoded instead of after the whole image is in memory.
/// </summary>
internal interface IRgbRowSource
{
    /// <summary>Gets the width in pixels.</summary>
    int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    int Height { get; }

    /// <summary>Gets how many rows a call to <see cref="NextRows"/> should ask for at most.</summary>
    int StripRows { get; }

    /// <summary>Returns the next <paramref name="rows"/> rows, each <see cref="Width"/> * 3 bytes without padding. The
    /// span may continue past them with readable bytes (vector code reads a few). Valid until the next call.</summary>
    /// <param name="rows">How many rows; the rows not yet read must be at least this many.</param>
    /// <returns>The rows.</returns>
    ReadOnlySpan<byte> NextRows(int rows);
}
