using System.Text.Json.Serialization;

namespace Embeddings.Remote.Wire;

/// <summary>
/// A JSON field that holds one string or a list of strings (<c>"inputs"</c>, <c>"query"</c>, <c>"input"</c>): servers
/// accept both and answer a single string with a single vector.
/// </summary>
[JsonConverter(typeof(TextInputsJsonConverter))]
internal readonly struct TextInputs
{
    /// <summary>Creates the field.</summary>
    /// <param name="values">The strings.</param>
    /// <param name="isSingle">Whether the field is written (or was read) as one string rather than a list.</param>
    public TextInputs(IReadOnlyList<string> values, bool isSingle = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (isSingle && values.Count != 1)
        {
            throw new ArgumentException("A single-string field holds exactly one value.", nameof(values));
        }

        Values = values;
        IsSingle = isSingle;
    }

    /// <summary>Gets the strings (empty for a default instance).</summary>
    public IReadOnlyList<string> Values => field ?? [];

    /// <summary>Gets a value indicating whether the field is one string rather than a list.</summary>
    public bool IsSingle { get; }
}
