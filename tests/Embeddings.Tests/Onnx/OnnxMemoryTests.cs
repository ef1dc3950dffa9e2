using System.Globalization;
using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>Runs alone, so that other tests' allocations do not show up in the process's memory figures.</summary>
[CollectionDefinition(nameof(OnnxMemoryCollection), DisableParallelization = true)]
public sealed class OnnxMemoryCollection;

[Collection(nameof(OnnxMemoryCollection))]
public sealed class OnnxMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void CreateAndDispose_ThousandSessionsAndHundredThousandValues_LeaveMemoryFlat()
    {
        string model = OnnxTestModels.Path("ort-dtypes");
        // Warm up with two full rounds: the first rounds grow the process for good (kernel registries, malloc arenas,
        // JIT-compiled code) and then it stays flat, which is what a leak would not do.
        for (int round = 0; round < 2; round++)
        {
            long start = SettledRss();
            Churn(model, sessions: 1_000, values: 100_000, runs: 10_000);
            output.WriteLine($"warm-up round {round + 1}: VmRSS {start / 1024} KiB -> {SettledRss() / 1024} KiB");
        }

        long before = SettledRss();
        Churn(model, sessions: 1_000, values: 100_000, runs: 10_000);
        long after = SettledRss();

        double growthMb = (after - before) / 1048576.0;
        output.WriteLine($"VmRSS before {before / 1024} KiB, after 1,000 sessions + 100,000 values + 10,000 runs {after / 1024} KiB, growth {growthMb:F1} MiB");
        Assert.InRange(growthMb, double.MinValue, 4);
    }

    [Fact]
    public void Run_LargeBatchThenSmallOnes_WithoutTheArenaGivesTheMemoryBack()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc and trims glibc's heap");
        // The first large run in a process grows it for good (allocator and kernel set-up); pay that outside the figures.
        LargeThenSmall(arena: false);
        Footprint off = LargeThenSmall(arena: false);
        Footprint on = LargeThenSmall(arena: true);

        output.WriteLine("MiniLM (tiny), one batch of 64 x 512 tokens then 20 batches of 2 x 16, session kept open:");
        output.WriteLine($"  arena off (default): {off}");
        output.WriteLine($"  arena on:            {on}");
        Assert.False(new OnnxRuntimeOptions().EnableCpuMemoryArena);
        Assert.True(on.Peak > 128 * Mib, "the large batch should need a lot of memory");
        Assert.True(on.RetainedAfterTrim > on.Peak * 0.8, "the arena keeps what the large batch needed");
        Assert.True(off.RetainedAfterTrim < on.RetainedAfterTrim / 4, "without the arena ONNX Runtime holds little of it");
    }

    // Memory relative to just before the large run: its peak, what the process still holds after the small runs, and
    // what it holds once glibc has returned the heap memory it keeps free (so only memory still in use remains).
    private static Footprint LargeThenSmall(bool arena)
    {
        OnnxRuntimeOptions options = OnnxTestModels.Options();
        options.EnableCpuMemoryArena = arena;
        using OnnxSession session = OnnxSession.Create(OnnxTestModels.Tiny("minilm/onnx/model.onnx"), options);
        using (OnnxTestInputs warm = OnnxTestInputs.For(session, dynamicSize: 16))
        {
            session.Run(warm.Names, warm.Tensors, [], TestContext.Current.CancellationToken).Dispose();
        }

        TrimNativeHeap();
        long before = SettledRss();

        // Writing 5 to clear_refs resets the high-water mark, so VmHWM becomes the peak of the large run.
        File.WriteAllText("/proc/self/clear_refs", "5");
        using (OnnxTestInputs large = LargeInputs(session))
        {
            session.Run(large.Names, large.Tensors, [], TestContext.Current.CancellationToken).Dispose();
        }

        long peak = Status("VmHWM:") - before;
        using OnnxTestInputs small = OnnxTestInputs.For(session, dynamicSize: 16);
        for (int i = 0; i < 20; i++)
        {
            session.Run(small.Names, small.Tensors, [], TestContext.Current.CancellationToken).Dispose();
        }

        long retained = SettledRss() - before;
        TrimNativeHeap();
        return new Footprint(peak, retained, Rss() - before);
    }

    private static unsafe void TrimNativeHeap()
    {
        IntPtr libc = NativeLibrary.Load("libc.so.6");
        ((delegate* unmanaged<nuint, int>)NativeLibrary.GetExport(libc, "malloc_trim"))(0);
    }

    private static OnnxTestInputs LargeInputs(OnnxSession session) => OnnxTestInputs.For(session, [64, 512]);

    private const long Mib = 1048576;

    private readonly record struct Footprint(long Peak, long Retained, long RetainedAfterTrim)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"peak +{Peak / (double)Mib:F1} MiB, held afterwards +{Retained / (double)Mib:F1} MiB, after malloc_trim +{RetainedAfterTrim / (double)Mib:F1} MiB");
    }

    private static void Churn(string model, int sessions, int values, int runs)
    {
        OnnxRuntimeOptions options = OnnxTestModels.Options();
        for (int i = 0; i < sessions; i++)
        {
            using OnnxSession session = OnnxSession.Create(model, options);
        }

        var data = new float[64];
        for (int i = 0; i < values; i++)
        {
            using OnnxTensor tensor = OnnxTensor.Create(data, [8, 8]);
        }

        using OnnxSession runner = OnnxSession.Create(model, options);
        using var inputs = OnnxTestInputs.For(runner, dynamicSize: 4);
        for (int i = 0; i < runs; i++)
        {
            using OnnxOutputs outputs = runner.Run(inputs.Names, inputs.Tensors, [], TestContext.Current.CancellationToken);
        }
    }

    private static long SettledRss()
    {
        // Finalizers release anything undisposed; the aggressive collection also gives the GC's free pages back, so
        // the figure is live memory rather than what the GC keeps committed for later.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        return Rss();
    }

    private static long Rss() => Status("VmRSS:");

    private static long Status(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
