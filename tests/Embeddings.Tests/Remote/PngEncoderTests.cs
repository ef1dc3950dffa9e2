using System.Diagnostics;
using System.Security.Cryptography;
using Embeddings.TestSupport;

namespace Embeddings.Remote;

public sealed class PngEncoderTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void Encode_WritesAPngSignatureAndHeader()
    {
        byte[] png = PngEncoder.Encode(new RgbImage(3, 2, new byte[18]));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal([0, 0, 0, 3, 0, 0, 0, 2, 8, 2], png[16..26]);
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
        Assert.Equal("image/png", RemoteRequestWriter.SniffMediaType(png));
    }

    [Fact]
    public void Encode_PillowDecodesExactlyThePixels()
    {
        Assert.True(
            File.Exists(Python) && Run(Python, "-c \"import PIL\"").ExitCode == 0,
            "Debian python3 with Pillow (python3-pil) is needed for this parity check; eng/prerequisites.sh installs it.");

        string dir = Directory.CreateTempSubdirectory("png-parity-").FullName;
        try
        {
            var expected = new Dictionary<string, string>();
            var random = new Random(1234);
            foreach ((int width, int height) in new[] { (1, 1), (5, 3), (64, 48), (257, 3), (2, 300) })
            {
                byte[] pixels = new byte[width * height * 3];
                random.NextBytes(pixels);
                string path = Path.Combine(dir, $"{width}x{height}.png");
                File.WriteAllBytes(path, PngEncoder.Encode(new RgbImage(width, height, pixels)));
                expected[path] = $"RGB {width} {height} {Convert.ToHexStringLower(SHA256.HashData(pixels))}";
            }

            string script = Path.Combine(TestAssets.RepoRoot, "eng", "references", "remote", "png_pixels.py");
            (int exit, string stdout, string stderr) = Run(Python, $"\"{script}\" " + string.Join(' ', expected.Keys.Select(k => $"\"{k}\"")));
            output.WriteLine(stdout + stderr);

            Assert.Equal(0, exit);
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(expected.Count, lines.Length);
            foreach (string line in lines)
            {
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                Assert.Equal(expected[line[..space]], line[(space + 1)..]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
