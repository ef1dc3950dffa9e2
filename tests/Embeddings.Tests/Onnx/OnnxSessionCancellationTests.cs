using System.Diagnostics;

namespace Embeddings.Onnx;

public sealed class OnnxSessionCancellationTests(ITestOutputHelper output)
{
    private const int LongBatch = 512;

    [Fact]
    public async Task Run_CancelledDuringALongRun_ThrowsOperationCanceledWithin100Milliseconds()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-slow");
        OnnxTensorInfo input = session.Inputs[0];
        long[] shape = input.Shape.Select(d => d < 0 ? LongBatch : d).ToArray();
        using OnnxTensor x = OnnxTensor.Create(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(i => (i % 17) / 17f).ToArray(), shape);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        long cancelledAt = 0;
        long started = Stopwatch.GetTimestamp();

        Task<long> run = Task.Run(() =>
        {
            try
            {
                using OnnxOutputs outputs = session.Run([input.Name], [x], [], cts.Token);
                Assert.Fail($"The run finished before it was cancelled ({Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms): make ort-slow slower.");
            }
            catch (OperationCanceledException ex) when (ex.CancellationToken == cts.Token)
            {
            }

            return Stopwatch.GetTimestamp();
        }, TestContext.Current.CancellationToken);

        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(run.IsCompleted, "the run ended before the cancel request");
        cancelledAt = Stopwatch.GetTimestamp();
        await cts.CancelAsync();
        long returnedAt = await run;

        double latencyMs = Stopwatch.GetElapsedTime(cancelledAt, returnedAt).TotalMilliseconds;
        output.WriteLine($"ort-slow batch {LongBatch}: cancelled {Stopwatch.GetElapsedTime(started, cancelledAt).TotalMilliseconds:F0} ms into the run; Run returned {latencyMs:F1} ms after the cancel request");
        Assert.InRange(latencyMs, 0, 100);
    }

    [Fact]
    public void Run_TokenAlreadyCancelled_ThrowsWithoutRunning()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-slow");
        OnnxTensorInfo input = session.Inputs[0];
        long[] shape = input.Shape.Select(d => d < 0 ? LongBatch : d).ToArray();
        using OnnxTensor x = OnnxTensor.Create(new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        long started = Stopwatch.GetTimestamp();

        Assert.Throws<OperationCanceledException>(() => session.Run([input.Name], [x], [], cts.Token));

        Assert.True(Stopwatch.GetElapsedTime(started).TotalMilliseconds < 100, "an already cancelled run must not start");
    }

    [Fact]
    public void Run_CancellableTokenNeverCancelled_CompletesAndTheSameRunOptionsDoNotLeakBetweenCalls()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        using var cts = new CancellationTokenSource();

        using OnnxOutputs first = session.Run(inputs.Names, inputs.Tensors, [], cts.Token);
        using OnnxOutputs second = session.Run(inputs.Names, inputs.Tensors, [], cts.Token);
        using OnnxOutputs uncancellable = session.Run(inputs.Names, inputs.Tensors, [], CancellationToken.None);

        OnnxAssert.Equal(uncancellable, first, tolerance: 0);
        OnnxAssert.Equal(uncancellable, second, tolerance: 0);
    }

    [Fact]
    public async Task Run_AfterACancelledRun_TheSessionStillWorks()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-slow");
        OnnxTensorInfo input = session.Inputs[0];
        long[] big = input.Shape.Select(d => d < 0 ? LongBatch : d).ToArray();
        long[] small = input.Shape.Select(d => d < 0 ? 1 : d).ToArray();
        using OnnxTensor x = OnnxTensor.Create(new float[big.Aggregate(1L, (a, b) => a * b)], big);
        using OnnxTensor one = OnnxTensor.Create(Enumerable.Range(0, (int)small.Aggregate(1L, (a, b) => a * b)).Select(i => i / 1000f).ToArray(), small);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Task cancelled = Task.Run(() => session.Run([input.Name], [x], [], cts.Token).Dispose(), TestContext.Current.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        using OnnxOutputs before = session.Run([input.Name], [one], [], TestContext.Current.CancellationToken);
        using OnnxSession fresh = OnnxTestModels.Open("ort-slow");
        using OnnxOutputs expected = fresh.Run([input.Name], [one], [], TestContext.Current.CancellationToken);

        OnnxAssert.Equal(expected, before, tolerance: 0);
    }
}
