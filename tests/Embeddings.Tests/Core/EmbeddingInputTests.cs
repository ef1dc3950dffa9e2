namespace Embeddings.Core;

public sealed class EmbeddingInputTests
{
    [Fact]
    public void ToString_Text_DescribesLengthWithoutContent()
    {
        var input = EmbeddingInput.FromText("secret words");

        Assert.Equal("text (12 characters)", input.ToString());
        Assert.DoesNotContain("secret", input.ToString(), StringComparison.Ordinal);
        Assert.Equal(EmbeddingModalities.Text, input.Modality);
    }

    [Fact]
    public void FromImageFile_NamesThePathByDefault()
    {
        var input = EmbeddingInput.FromImageFile("photos/cat.jpg");

        Assert.Equal("image file 'photos/cat.jpg'", input.ToString());
        Assert.Equal(EmbeddingModalities.Image, input.Modality);
        Assert.Equal(EmbeddingInputKind.ImageFile, input.Kind);
    }

    [Fact]
    public void FromImage_Bytes_DescribesSizeAndName()
    {
        var input = EmbeddingInput.FromImage(new byte[] { 1, 2, 3 }, "upload-7");

        Assert.Equal("image (3 bytes) 'upload-7'", input.ToString());
    }

    [Fact]
    public void FromPixels_DescribesDimensions()
    {
        var image = new RgbImage(2, 3, new byte[2 * 3 * 3]);

        Assert.Equal("image pixels (2x3)", EmbeddingInput.FromPixels(image).ToString());
    }

    [Fact]
    public void RgbImage_WrongBufferLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RgbImage(2, 2, new byte[11]));

        Assert.Contains("needs 12 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImplicitConversion_FromString_IsText()
    {
        EmbeddingInput input = "hello";

        Assert.Equal(EmbeddingInputKind.Text, input.Kind);
        Assert.Equal("hello", input.Text);
    }

    [Fact]
    public void EmbeddingInputException_MessageStartsWithTheInput()
    {
        var ex = new EmbeddingInputException(EmbeddingInputError.Corrupt, "image file 'a.jpg'", "the JPEG data ends early");

        Assert.Equal("Image file 'a.jpg': the JPEG data ends early", ex.Message);
        Assert.Equal(EmbeddingInputError.Corrupt, ex.Reason);
    }

    [Theory]
    [InlineData(RemoteFailureKind.HttpStatus, 503, true)]
    [InlineData(RemoteFailureKind.HttpStatus, 408, true)]
    [InlineData(RemoteFailureKind.HttpStatus, 400, false)]
    [InlineData(RemoteFailureKind.Unauthorized, 401, false)]
    [InlineData(RemoteFailureKind.MalformedResponse, 200, false)]
    [InlineData(RemoteFailureKind.RateLimited, 429, true)]
    [InlineData(RemoteFailureKind.Timeout, null, true)]
    public void RemoteEmbeddingException_IsTransient_FollowsTheKindAndStatus(RemoteFailureKind kind, int? status, bool transient)
    {
        Assert.Equal(transient, new RemoteEmbeddingException(kind, "x", status).IsTransient);
    }
}
