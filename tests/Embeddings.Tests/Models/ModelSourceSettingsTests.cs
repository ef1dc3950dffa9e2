namespace Embeddings.Models;

public sealed class ModelSourceSettingsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    [Fact]
    public void Resolve_NoEnvironment_UsesHuggingFaceDefaults()
    {
        ModelSourceSettings s = ModelSourceSettings.Resolve(null, Env());

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), s.CacheDirectory);
        Assert.Equal(new Uri("https://huggingface.co"), s.Endpoint);
        Assert.False(s.Offline);
        Assert.Equal("main", s.Revision);
        Assert.Equal(ModelVariant.Fp32, s.Variant);
    }

    [Fact]
    public void Resolve_CacheVariables_TakenInHuggingFaceOrder()
    {
        string a = Path.GetFullPath("/data/a"), b = Path.GetFullPath("/data/b"), h = Path.GetFullPath("/data/home");
        Assert.Equal(a, ModelSourceSettings.Resolve(null, Env(("HF_HUB_CACHE", a), ("HUGGINGFACE_HUB_CACHE", b), ("HF_HOME", h))).CacheDirectory);
        Assert.Equal(b, ModelSourceSettings.Resolve(null, Env(("HUGGINGFACE_HUB_CACHE", b), ("HF_HOME", h))).CacheDirectory);
        Assert.Equal(Path.Combine(h, "hub"), ModelSourceSettings.Resolve(null, Env(("HF_HOME", h))).CacheDirectory);
    }

    [Fact]
    public void Resolve_ExplicitOptions_WinOverEnvironment()
    {
        var options = new ModelSourceOptions
        {
            CacheDirectory = Path.GetFullPath("/explicit"),
            Endpoint = new Uri("http://mirror.example:8080/hf"),
            Token = "explicit-token",
            Offline = false,
            Revision = "v1.0",
            Variant = ModelVariant.Q4,
        };
        ModelSourceSettings s = ModelSourceSettings.Resolve(options, Env(
            ("HF_HUB_CACHE", "/env"), ("HF_ENDPOINT", "http://env.example"), ("HF_TOKEN", "env-token"), ("HF_HUB_OFFLINE", "1")));

        Assert.Equal(Path.GetFullPath("/explicit"), s.CacheDirectory);
        Assert.Equal(new Uri("http://mirror.example:8080/hf"), s.Endpoint);
        Assert.Equal("explicit-token", s.Token);
        Assert.False(s.Offline);
        Assert.Equal("v1.0", s.Revision);
        Assert.Equal(ModelVariant.Q4, s.Variant);
    }

    [Fact]
    public void Resolve_Token_FromHfTokenThenApiKeyThenTokenFile()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "token"), "  file-token\n");

        Assert.Equal("a", ModelSourceSettings.Resolve(null, Env(("HF_TOKEN", "a"), ("HUGGINGFACE_API_KEY", "b"), ("HF_HOME", temp.Path))).Token);
        Assert.Equal("b", ModelSourceSettings.Resolve(null, Env(("HUGGINGFACE_API_KEY", "b"), ("HF_HOME", temp.Path))).Token);
        Assert.Equal("file-token", ModelSourceSettings.Resolve(null, Env(("HF_HOME", temp.Path))).Token);
        Assert.Null(ModelSourceSettings.Resolve(null, Env(("HF_HOME", Path.Combine(temp.Path, "none")))).Token);
    }

    [Theory]
    [InlineData("HF_HUB_OFFLINE", "1", true)]
    [InlineData("HF_HUB_OFFLINE", "true", true)]
    [InlineData("HF_HUB_OFFLINE", "YES", true)]
    [InlineData("HF_HUB_OFFLINE", "on", true)]
    [InlineData("TRANSFORMERS_OFFLINE", "1", true)]
    [InlineData("HF_HUB_OFFLINE", "0", false)]
    [InlineData("HF_HUB_OFFLINE", "false", false)]
    public void Resolve_OfflineVariables_ReadLikePython(string name, string value, bool expected) =>
        Assert.Equal(expected, ModelSourceSettings.Resolve(null, Env((name, value))).Offline);

    [Fact]
    public void Resolve_EndpointFromEnvironment_TrailingSlashDropped() =>
        Assert.Equal("http://127.0.0.1:9/", ModelSourceSettings.Resolve(null, Env(("HF_ENDPOINT", "http://127.0.0.1:9/"))).Endpoint.ToString());

    [Fact]
    public void Resolve_BadEndpointOrRevision_Throws()
    {
        Assert.Throws<ArgumentException>(() => ModelSourceSettings.Resolve(new ModelSourceOptions { Endpoint = new Uri("ftp://x/") }, Env()));
        Assert.Throws<ArgumentException>(() => ModelSourceSettings.Resolve(null, Env(("HF_ENDPOINT", "not a url"))));
        Assert.Throws<ArgumentException>(() => ModelSourceSettings.Resolve(new ModelSourceOptions { Revision = "../../etc" }, Env()));
    }
}
