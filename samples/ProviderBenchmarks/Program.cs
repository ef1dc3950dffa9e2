using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ProviderBenchmarks;

// Local vs remote vs fallback, with the same model on both sides:
//   dotnet run -c Release --project samples/ProviderBenchmarks -- --filter '*'
// The model is EMBEDDINGS_SAMPLE_MODEL (a SigLIP / CLIP folder), else the repository's tiny generated SigLIP2.
// In-process: the benchmarks run inside this app, next to the native libraries it was built with.
IConfig config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(ProviderBenchmark).Assembly).Run(args, config);
