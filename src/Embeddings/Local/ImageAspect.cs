namespace Embeddings.Local;

/// <summary>
/// A named aspect of images (colour, texture, material, style, or your own): a set of label phrases whose text
/// vectors span the aspect's subspace of the embedding space. See docs/aspects.md.
/// </summary>
/// <remarks>An aspect embedding is the image vector projected onto the span of the label vectors and re-normalized:
/// it keeps only what the image shares with the aspect's vocabulary, so different aspects give different vectors.
/// More labels (and more varied ones) span more of the aspect; labels of other aspects leak them in.</remarks>
public sealed class ImageAspect
{
    /// <summary>Creates an aspect.</summary>
    /// <param name="name">The aspect's name, for example <c>pattern</c>.</param>
    /// <param name="labels">The label phrases, at least one; each is put into <paramref name="template"/>.</param>
    /// <param name="template">The sentence each label is put into; <c>{}</c> marks the label.</param>
    /// <exception cref="ArgumentException">The name or template is empty, or there is no label or an empty one.</exception>
    public ImageAspect(string name, IReadOnlyList<string> labels, string template = LocalOnnxProviderDefaults.HypothesisTemplate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrEmpty(template);
        if (labels.Count == 0)
        {
            throw new ArgumentException($"Aspect '{name}' needs at least one label.", nameof(labels));
        }

        if (labels.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Aspect '{name}' has an empty label.", nameof(labels));
        }

        Name = name;
        Labels = [.. labels];
        Template = template;
    }

    /// <summary>Gets colour: the colour words of everyday product and scene descriptions.</summary>
    public static ImageAspect Color { get; } = new("color",
        ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white", "grey", "beige", "gold", "silver", "multicoloured"],
        "This is a photo of something {}.");

    /// <summary>Gets texture: how a surface looks and feels.</summary>
    public static ImageAspect Texture { get; } = new("texture",
        ["smooth", "rough", "glossy", "matte", "woven", "knitted", "grainy", "ribbed", "quilted", "perforated", "brushed", "furry", "embossed", "crackled"],
        "This is a photo of a {} surface.");

    /// <summary>Gets material: what a thing is made of.</summary>
    public static ImageAspect Material { get; } = new("material",
        ["wood", "metal", "glass", "plastic", "stone", "ceramic", "leather", "fabric", "paper", "concrete", "marble", "rubber", "wicker", "bamboo"],
        "This is a photo of something made of {}.");

    /// <summary>Gets style: design styles of objects and interiors.</summary>
    public static ImageAspect Style { get; } = new("style",
        ["modern", "minimalist", "vintage", "rustic", "industrial", "Scandinavian", "classic", "bohemian", "art deco", "mid-century modern", "luxury", "playful", "traditional", "futuristic"],
        "This is a photo of something in a {} style.");

    /// <summary>Gets the four built-in aspects: <see cref="Color"/>, <see cref="Texture"/>, <see cref="Material"/>,
    /// <see cref="Style"/>.</summary>
    public static IReadOnlyList<ImageAspect> BuiltIn { get; } = [Color, Texture, Material, Style];

    /// <summary>Gets the aspect's name.</summary>
    public string Name { get; }

    /// <summary>Gets the label phrases.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Gets the sentence each label is put into (<c>{}</c> marks the label).</summary>
    public string Template { get; }

    /// <summary>Gets the text each label is embedded as.</summary>
    internal IEnumerable<string> Prompts => Labels.Select(l => Template.Replace("{}", l, StringComparison.Ordinal));

    /// <summary>Gets a key identifying the aspect's label texts.</summary>
    internal string Key => string.Join('\u0001', Prompts);
}
