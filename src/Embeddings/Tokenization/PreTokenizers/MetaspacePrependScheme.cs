namespace Embeddings.Tokenization;

/// <summary>When Metaspace prepends its replacement character.</summary>
internal enum MetaspacePrependScheme
{
    /// <summary>To every piece that does not start with it.</summary>
    Always,

    /// <summary>Only to the piece at the start of the input.</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}
