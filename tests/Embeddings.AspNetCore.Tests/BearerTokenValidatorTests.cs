namespace Embeddings.AspNetCore;

public sealed class BearerTokenValidatorTests
{
    private readonly BearerTokenValidator _validator = new("s3cret-tøken");

    [Theory]
    [InlineData("Bearer s3cret-tøken", "Valid")]
    [InlineData("bearer s3cret-tøken", "Valid")]
    [InlineData("BEARER   s3cret-tøken", "Valid")]
    [InlineData("Bearer s3cret-token", "Invalid")]
    [InlineData("Bearer s3cret-tøke", "Invalid")]
    [InlineData("Bearer s3cret-tøkenX", "Invalid")]
    [InlineData("Bearer S3CRET-TØKEN", "Invalid")]
    [InlineData(null, "Missing")]
    [InlineData("", "Missing")]
    [InlineData("Bearer", "Missing")]
    [InlineData("Bearer ", "Missing")]
    [InlineData("Bearers3cret-tøken", "Missing")]
    [InlineData("Basic czNjcmV0", "Missing")]
    public void Check_HeaderValue_ClassifiesIt(string? header, string expected)
    {
        Assert.Equal(expected, _validator.Check(header).ToString());
    }

    [Fact]
    public void Check_HugeToken_IsInvalidWithoutFailing()
    {
        Assert.Equal(BearerTokenCheck.Invalid, _validator.Check("Bearer " + new string('x', 100_000)));
        Assert.Equal(BearerTokenCheck.Invalid, _validator.Check("Bearer " + new string('x', 2_000)));
    }

    [Fact]
    public void Constructor_EmptyToken_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BearerTokenValidator(""));
    }
}
