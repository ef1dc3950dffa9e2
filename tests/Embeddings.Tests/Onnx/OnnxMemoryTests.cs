using System.Globalization;

namespace Embeddings.Onnx;

/// <summary>Runs alone, so that other tests' allocations do not show up in the process's memory figures.</summary>
[CollectionDefinition(DisableParallelization = true)]
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
        (long arenaOffRetained, long arenaOffPeak) = LargeThenSmall(arena: false);
        (long arenaOnRetained, long arenaOnPeak) = LargeThenSmall(arena: true);

        output.WriteLine($"MiniLM (tiny), one batch of 64 x 512 tokens then 20 batches of 2 x 16, session kept open:");
        output.WriteLine($"  arena off (default): peak +{arenaOffPeak / 1048576.0:F1} MiB, retained +{arenaOffRetained / 1048576.0:F1} MiB");
        output.WriteLine($"  arena on:            peak +{arenaOnPeak / 1048576.0:F1} MiB, retained +{arenaOnRetained / 1048576.0:F1} MiB");
        Assert.False(new OnnxRuntimeOptions().EnableCpuMemoryArena);
        Assert.True(arenaOnPeak > 128 * 1048576L, "the large batch should need a lot of memory");
        Assert.True(arenaOnRetained > arenaOnPeak * 0.8, "the arena keeps what the large batch needed");
        Assert.True(arenaOffRetained < arenaOnRetained / 2, "without the arena most of it is given back");
    }

    // Returns (RSS retained after the small runs, RSS growth at the large run), both relative to before it.
    private (long Retained, long Peak) LargeThenSmall(bool arena)
    {
        OnnxRuntimeOptions options = OnnxTestModels.Options();
        options.EnableCpuMemoryArena = arena;
        using OnnxSession session = OnnxSession.Create(OnnxTestModels.Tiny("minilm/onnx/model.onnx"), options);
        using (OnnxTestInputs warm = OnnxTestInputs.For(session, dynamicSize: 16))
        {
            session.Run(warm.Names, warm.Tensors, [], TestContext.Current.CancellationToken).Dispose();
        }

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

        return (SettledRss() - before, peak);
    }

    private static OnnxTestInputs LargeInputs(OnnxSession session) => OnnxTestInputs.For(session, [64, 512]);

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
