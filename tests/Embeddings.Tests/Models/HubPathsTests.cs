namespace Embeddings.Models;

public sealed class HubPathsTests
{
    [Theory]
    [InlineData("google/siglip2-base-patch16-224")]
    [InlineData("onnx-community/embeddinggemma-300m-ONNX")]
    [InlineData("Xenova/clip-vit-base-patch32")]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2")]
    [InlineData("bert-base-uncased")]
    [InlineData("org_1/model.v2")]
    public void IsRepoId_HubIds_Accepted(string id)
    {
        Assert.True(HubPaths.IsRepoId(id));
        Assert.Equal("models--" + id.Replace("/", "--", StringComparison.Ordinal), HubPaths.RepoFolderName(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../secrets")]
    [InlineData("org/..")]
    [InlineData("org/../x")]
    [InlineData("org/name/extra")]
    [InlineData("/etc/passwd")]
    [InlineData("org\\name")]
    [InlineData("org/name\\..\\x")]
    [InlineData("org--x/name")]
    [InlineData("org/.hidden")]
    [InlineData("org/name.")]
    [InlineData("-org/name")]
    [InlineData("org/na me")]
    [InlineData("org/name\n")]
    [InlineData("C:/models")]
    [InlineData("org/")]
    public void ValidateRepoId_UnsafeOrMalformed_Throws(string id)
    {
        Assert.False(HubPaths.IsRepoId(id));
        var ex = Assert.Throws<EmbeddingModelException>(() => HubPaths.ValidateRepoId(id));
        Assert.Contains("hub id", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../config.json")]
    [InlineData("onnx/../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("onnx\\model.onnx")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("onnx//model.onnx")]
    [InlineData("./config.json")]
    [InlineData("onnx/.")]
    [InlineData("")]
    [InlineData("config.json\0")]
    public void ValidateFilePath_Escapes_Throws(string path)
    {
        var ex = Assert.Throws<EmbeddingModelException>(() => HubPaths.ValidateFilePath("org/name", path));
        Assert.Equal("org/name", ex.Model);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("onnx/vision_model_q4f16.onnx")]
    [InlineData("1_Pooling/config.json")]
    [InlineData(".gitattributes")]
    public void ValidateFilePath_RepositoryPaths_Accepted(string path) => HubPaths.ValidateFilePath("org/name", path);

    [Theory]
    [InlineData("../main")]
    [InlineData("refs/../../x")]
    [InlineData("/main")]
    [InlineData("a\\b")]
    public void ValidateRevision_Escapes_Throws(string revision) =>
        Assert.Throws<ArgumentException>(() => HubPaths.ValidateRevision(revision));

    [Fact]
    public void IsSafeEtag_PathCharacters_Rejected()
    {
        Assert.True(HubPaths.IsSafeEtag(new string('a', 64)));
        Assert.True(HubPaths.IsSafeEtag("3b18e512dba79e4c8300dd08aeb37f8e728b8dad"));
        Assert.False(HubPaths.IsSafeEtag("../../evil"));
        Assert.False(HubPaths.IsSafeEtag("a/b"));
        Assert.False(HubPaths.IsSafeEtag(""));
        Assert.False(HubPaths.IsSafeEtag("abc\n"));
    }

    [Fact]
    public void IsCommit_OnlyFortyLowercaseHex()
    {
        Assert.True(HubPaths.IsCommit("75a84c732f1ffe5b9d3b8c8e3c8a1b6f1f0e9d8c"));
        Assert.False(HubPaths.IsCommit("main"));
        Assert.False(HubPaths.IsCommit("75a84c732f1ffe5b9d3b8c8e3c8a1b6f1f0e9d8c\n"));
        Assert.False(HubPaths.IsCommit("75A84C732F1FFE5B9D3B8C8E3C8A1B6F1F0E9D8C"));
    }

    [Fact]
    public void Combine_StaysInsideFolder()
    {
        string root = Path.Combine(Path.GetTempPath(), "cache-root");
        Assert.StartsWith(root, HubPaths.Combine(root, "onnx/model.onnx"), StringComparison.Ordinal);
        Assert.Throws<EmbeddingModelException>(() => HubPaths.Combine(root, "../escape"));
    }
}
