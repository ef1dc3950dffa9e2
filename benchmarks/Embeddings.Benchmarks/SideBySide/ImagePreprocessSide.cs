using Embeddings.Imaging;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// The image comparison's side for this library (benchmarks/imaging/pillow_bench.py and sharp_bench.mjs are the
/// peers): encoded JPEG bytes in memory to a 224x224 SigLIP-style <c>pixel_values</c> tensor, one image at a time on
/// the calling thread, bilinear and bicubic, the exact path (Pillow's output) and the shrink-on-load fast path.
/// Prints one line per case in the peers' format.
/// </summary>
internal static class ImagePreprocessSide
{
    public static int Run(SideArgs args)
    {
        double minSeconds = args.Double("min-seconds", 2);
        int minRuns = args.Int("min-runs", 10);
        int size = args.Int("size", 224);
        foreach (string file in args.Positional)
        {
            EmbeddingInput input = EmbeddingInput.FromImage(File.ReadAllBytes(file), Path.GetFileName(file));
            foreach (ImageResampling resample in new[] { ImageResampling.Bilinear, ImageResampling.Bicubic })
            {
                foreach (bool shrinkOnLoad in new[] { false, true })
                {
                    var config = new ImagePreprocessorConfig
                    {
                        ImageProcessorType = "SiglipImageProcessor",
                        ResizeHeight = size,
                        ResizeWidth = size,
                        Resample = resample,
                    };
                    var preprocessor = new ImagePreprocessor(config, new ImageDecoderOptions { ShrinkOnLoad = shrinkOnLoad });
                    float[] tensor = new float[preprocessor.TensorLength];

                    // Three warm-up calls let the JIT reach its final tier.
                    Samples samples = Samples.Measure(() => preprocessor.Preprocess(input, tensor), warmup: 3, minRuns, minSeconds);
                    var fields = samples.ToFields();
                    fields["lib"] = shrinkOnLoad ? "ours (shrink-on-load)" : "ours (exact)";
                    fields["image"] = Path.GetFileName(file);
                    fields["resample"] = resample.ToString();
                    ResultLine.Write("image", fields);
                }
            }
        }

        return 0;
    }
}
