using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using Embeddings.Benchmarks.Remote;
using Embeddings.Benchmarks.Server;
using Embeddings.Benchmarks.SideBySide;

// Harnesses that are not BenchmarkDotNet benchmarks run by name.
if (args is ["remote-load", .. var loadArgs])
{
    return await RemoteLoadHarness.RunAsync(loadArgs);
}

if (args is ["side", .. var sideArgs])
{
    return await SideBySideHarness.RunAsync(sideArgs);
}

if (args is ["remote-overhead", .. var overheadArgs])
{
    return await RemoteOverheadHarness.RunAsync(overheadArgs);
}

if (args is ["server-fake", .. var serverArgs])
{
    return await ServerHarness.RunAsync(serverArgs);
}

// Every benchmark class in this assembly, selectable with --filter; memory is always measured.
IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
