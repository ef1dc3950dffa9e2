namespace Embeddings.Onnx;

public sealed class OnnxSessionConcurrencyTests(ITestOutputHelper output)
{
    private const int Threads = 8;
    private const int RunsPerThread = 1000;

    [Theory]
    [InlineData("ort-dtypes")]
    [InlineData("minilm/onnx/model.onnx")]
    public void Run_EightThreadsOnOneSession_GiveTheSingleThreadedResults(string model)
    {
        using OnnxSession session = OnnxTestModels.Open(model);
        var inputs = Enumerable.Range(0, Threads).Select(t => OnnxTestInputs.For(session, dynamicSize: 1 + (t % 3), seed: 100 + t)).ToArray();
        try
        {
            // Single-threaded results first, one per thread's inputs.
            var expected = inputs.Select(i => session.Run(i.Names, i.Tensors, [], TestContext.Current.CancellationToken)).ToArray();
            int mismatches = 0;
            int runs = 0;
            using var start = new Barrier(Threads);
            Thread[] workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                for (int r = 0; r < RunsPerThread; r++)
                {
                    using OnnxOutputs actual = session.Run(inputs[t].Names, inputs[t].Tensors, [], TestContext.Current.CancellationToken);
                    if (!Same(expected[t], actual))
                    {
                        Interlocked.Increment(ref mismatches);
                    }

                    Interlocked.Increment(ref runs);
                }
            })).ToArray();

            foreach (Thread worker in workers)
            {
                worker.Start();
            }

            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            output.WriteLine($"{model}: {runs} runs on {Threads} threads, {mismatches} differing from the single-threaded results");
            Assert.Equal(Threads * RunsPerThread, runs);
            Assert.Equal(0, mismatches);
            foreach (OnnxOutputs e in expected)
            {
                e.Dispose();
            }
        }
        finally
        {
            foreach (OnnxTestInputs i in inputs)
            {
                i.Dispose();
            }
        }
    }

    [Fact]
    public void Dispose_WhileOtherThreadsRun_LetsTheirRunsFinishOrFailCleanly()
    {
        OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        int completed = 0;
        int disposedErrors = 0;
        using var start = new Barrier(5);
        Thread[] workers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            for (int r = 0; r < 2000; r++)
            {
                try
                {
                    using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [], TestContext.Current.CancellationToken);
                    Assert.True(outputs[0].ElementCount >= 0);
                    Interlocked.Increment(ref completed);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref disposedErrors);
                    return;
                }
            }
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        start.SignalAndWait(TestContext.Current.CancellationToken);
        Thread.Sleep(20);
        session.Dispose();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        output.WriteLine($"{completed} runs completed, {disposedErrors} threads stopped by the dispose");
        Assert.True(completed > 0);
        Assert.True(completed + disposedErrors > 0);
    }

    private static bool Same(OnnxOutputs expected, OnnxOutputs actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (int i = 0; i < expected.Count; i++)
        {
            if (!expected[i].Shape.SequenceEqual(actual[i].Shape) || !Bytes(expected[i]).SequenceEqual(Bytes(actual[i])))
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<byte> Bytes(OnnxOutput output) => output.ElementType switch
    {
        OnnxElementType.Float => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<float>()),
        OnnxElementType.Int64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<long>()),
        OnnxElementType.Int32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<int>()),
        OnnxElementType.Float16 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<Half>()),
        _ => System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.GetData<bool>()),
    };
}
