using System.Net;

namespace Embeddings.Remote;

public sealed class RetryAfterReaderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan? Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach ((string name, string value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return RetryAfterReader.Read(response.Headers, s_now);
    }

    [Fact]
    public void Read_RetryAfterSeconds_IsTheDelay() => Assert.Equal(TimeSpan.FromSeconds(7), Read(("Retry-After", "7")));

    [Fact]
    public void Read_RetryAfterHttpDate_IsTheTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(90), Read(("Retry-After", s_now.AddSeconds(90).ToString("R"))));

    [Fact]
    public void Read_RetryAfterDateInThePast_IsZero() =>
        Assert.Equal(TimeSpan.Zero, Read(("Retry-After", s_now.AddMinutes(-1).ToString("R"))));

    [Theory]
    [InlineData("\"api\";r=0;t=55", 55)]
    [InlineData("limit=100, remaining=0, reset=12", 12)]
    public void Read_RateLimitField_GivesItsReset(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Read(("RateLimit", value)));

    [Theory]
    [InlineData("RateLimit-Reset")]
    [InlineData("X-RateLimit-Reset")]
    public void Read_ResetHeaderInSeconds_IsTheDelay(string name) => Assert.Equal(TimeSpan.FromSeconds(3), Read((name, "3")));

    [Fact]
    public void Read_ResetHeaderAsUnixTime_IsTheTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(42), Read(("X-RateLimit-Reset", s_now.AddSeconds(42).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public void Read_RetryAfterWinsOverRateLimitHeaders() =>
        Assert.Equal(TimeSpan.FromSeconds(2), Read(("X-RateLimit-Reset", "30"), ("Retry-After", "2")));

    [Theory]
    [InlineData("RateLimit-Reset", "soon")]
    [InlineData("RateLimit-Reset", "-5")]
    [InlineData("RateLimit", "\"api\";r=0")]
    public void Read_UnusableValues_GiveNull(string name, string value) => Assert.Null(Read((name, value)));

    [Fact]
    public void Read_NoHeaders_GivesNull() => Assert.Null(Read());
}
