using Embeddings.TestSupport;

namespace Embeddings.Onnx;

public sealed class OnnxSessionTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("embeddings-onnx-session-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Create_MissingFile_ThrowsModelExceptionNamingThePath()
    {
        string missing = Path.Combine(_temp, "absent.onnx");

        var ex = Assert.Throws<EmbeddingModelException>(() => OnnxSession.Create(missing, OnnxTestModels.Options()));

        Assert.Equal(missing, ex.Model);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FileThatIsNotAModel_ThrowsModelExceptionWithTheProtobufError()
    {
        string garbage = Path.Combine(_temp, "garbage.onnx");
        File.WriteAllBytes(garbage, [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x12, 0x99, 0x42]);

        var ex = Assert.Throws<EmbeddingModelException>(() => OnnxSession.Create(garbage, OnnxTestModels.Options()));

        Assert.Equal(garbage, ex.Model);
        Assert.Contains(garbage, ex.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<EmbeddingInferenceException>(ex.InnerException);
        Assert.Equal(7, inner.RuntimeErrorCode); // INVALID_PROTOBUF
        Assert.Contains("INVALID_PROTOBUF", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadModelBytes_ThrowsModelExceptionNamingTheModel()
    {
        byte[] bytes = "this is not an ONNX model"u8.ToArray();

        var ex = Assert.Throws<EmbeddingModelException>(() => OnnxSession.Create(bytes, "bytes-model", OnnxTestModels.Options()));

        Assert.Equal("bytes-model", ex.Model);
        Assert.Contains("'bytes-model'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(7, Assert.IsType<EmbeddingInferenceException>(ex.InnerException).RuntimeErrorCode);
    }

    [Fact]
    public void Create_EmptyBytes_ThrowsModelException()
    {
        var ex = Assert.Throws<EmbeddingModelException>(() => OnnxSession.Create(ReadOnlyMemory<byte>.Empty, "empty", OnnxTestModels.Options()));

        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FromBytes_HasTheSameInputsAndOutputsAsFromTheFile()
    {
        string path = OnnxTestModels.Path("ort-dtypes");
        using OnnxSession fromFile = OnnxSession.Create(path, OnnxTestModels.Options());
        using OnnxSession fromBytes = OnnxSession.Create(File.ReadAllBytes(path), "ort-dtypes", OnnxTestModels.Options());

        Assert.Equal(fromFile.Inputs.Select(i => i.ToString()), fromBytes.Inputs.Select(i => i.ToString()));
        Assert.Equal(fromFile.Outputs.Select(i => i.ToString()), fromBytes.Outputs.Select(i => i.ToString()));
    }

    [Fact]
    public void Create_NegativeThreadCount_ThrowsNamingTheOption()
    {
        var options = OnnxTestModels.Options();
        options.IntraOpThreads = -1;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxSession.Create(OnnxTestModels.Path("ort-dtypes"), options));

        Assert.Contains("IntraOpThreads", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OnnxGraphOptimizationLevel.Disabled, OnnxExecutionMode.Sequential, false)]
    [InlineData(OnnxGraphOptimizationLevel.Basic, OnnxExecutionMode.Parallel, true)]
    [InlineData(OnnxGraphOptimizationLevel.Layout, OnnxExecutionMode.Sequential, true)]
    public void Run_UnderOtherSessionSettings_GivesTheSameResults(OnnxGraphOptimizationLevel level, OnnxExecutionMode mode, bool arena)
    {
        var options = OnnxTestModels.Options();
        options.GraphOptimizationLevel = level;
        options.ExecutionMode = mode;
        options.EnableCpuMemoryArena = arena;
        using OnnxSession baseline = OnnxTestModels.Open("ort-dtypes");
        using OnnxSession other = OnnxSession.Create(OnnxTestModels.Path("ort-dtypes"), options);
        using var inputs = OnnxTestInputs.For(baseline, dynamicSize: 3);

        using OnnxOutputs expected = baseline.Run(inputs.Names, inputs.Tensors, [], Token);
        using OnnxOutputs actual = other.Run(inputs.Names, inputs.Tensors, [], Token);

        OnnxAssert.Equal(expected, actual, tolerance: 1e-5);
    }

    [Fact]
    public void Run_NoOutputNames_ReturnsEveryOutputInModelOrder()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);

        using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [], Token);

        Assert.Equal(session.Outputs.Select(o => o.Name), Enumerable.Range(0, outputs.Count).Select(i => outputs[i].Name));
    }

    [Fact]
    public void Run_SomeOutputNames_ReturnsThoseInTheRequestedOrder()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        string[] wanted = [session.Outputs[^1].Name, session.Outputs[0].Name];

        using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, wanted, Token);

        Assert.Equal(wanted, new[] { outputs[0].Name, outputs[1].Name });
        Assert.Equal(outputs[1].ToArray<float>(), outputs[wanted[1]].ToArray<float>());
    }

    [Fact]
    public void Run_OutputShapes_ResolveDynamicDimensionsAndKeepFixedOnes()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session, dynamicSize: 5);

        using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [], Token);

        for (int i = 0; i < outputs.Count; i++)
        {
            OnnxTensorInfo declared = session.Outputs[i];
            long[] shape = outputs[i].Shape.ToArray();
            Assert.Equal(declared.Rank, shape.Length);
            for (int d = 0; d < shape.Length; d++)
            {
                Assert.Equal(declared.Shape[d] >= 0 ? declared.Shape[d] : 5, shape[d]);
            }

            Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), outputs[i].ElementCount);
        }
    }

    [Fact]
    public void Run_UnknownInputName_ThrowsListingTheModelsInputs()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        string[] names = [.. inputs.Names];
        names[0] = "no_such_input";

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(names, inputs.Tensors, [], Token));

        Assert.Equal(2, ex.RuntimeErrorCode);
        Assert.Contains("no input named 'no_such_input'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(session.ModelName, ex.Message, StringComparison.Ordinal);
        Assert.Contains(session.Inputs[0].ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownOutputName_ThrowsListingTheModelsOutputs()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(inputs.Names, inputs.Tensors, ["nope"], Token));

        Assert.Contains("no output named 'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(session.Outputs[0].ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsNamingTheInputAndBothTypes()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        int index = session.Inputs.ToList().FindIndex(i => i.ElementType == OnnxElementType.Float);
        OnnxTensorInfo info = session.Inputs[index];
        long[] shape = info.Shape.Select(d => d < 0 ? 2 : d).ToArray();
        using OnnxTensor wrong = OnnxTensor.Create(new long[shape.Aggregate(1L, (a, b) => a * b)], shape);
        OnnxTensor[] tensors = inputs.Tensors;
        tensors[index] = wrong;

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(inputs.Names, tensors, [], Token));

        Assert.Equal(2, ex.RuntimeErrorCode);
        Assert.Contains($"Input '{info.Name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("takes float elements", ex.Message, StringComparison.Ordinal);
        Assert.Contains("int64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongShape_ThrowsTheRuntimesInvalidArgumentNamingTheModel()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        int index = session.Inputs.ToList().FindIndex(i => i.ElementType == OnnxElementType.Float && i.Shape[^1] > 0);
        OnnxTensorInfo info = session.Inputs[index];
        long[] shape = info.Shape.Select(d => d < 0 ? 2 : d).ToArray();
        shape[^1] += 1;
        using OnnxTensor wrong = OnnxTensor.Create(new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
        OnnxTensor[] tensors = inputs.Tensors;
        tensors[index] = wrong;

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(inputs.Names, tensors, [], Token));

        Assert.Equal(2, ex.RuntimeErrorCode);
        Assert.Contains("INVALID_ARGUMENT", ex.Message, StringComparison.Ordinal);
        Assert.Contains(session.ModelName, ex.Message, StringComparison.Ordinal);
        Assert.Contains(info.Name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingInput_ThrowsTheRuntimesError()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);

        var ex = Assert.Throws<EmbeddingInferenceException>(() => session.Run(inputs.Names[1..], inputs.Tensors[1..], [], Token));

        Assert.Contains(session.Inputs[0].Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains(session.ModelName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MismatchedNameAndTensorCounts_ThrowsArgumentException()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);

        Assert.Throws<ArgumentException>(() => session.Run(inputs.Names, inputs.Tensors[1..], [], Token));
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(inputs.Names, inputs.Tensors, [], Token));
    }

    [Fact]
    public void Run_DisposedInputTensor_ThrowsObjectDisposed()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        OnnxTensor[] tensors = inputs.Tensors;
        tensors[0].Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(inputs.Names, tensors, [], Token));
    }

    [Fact]
    public void Run_EmptyBatch_ReturnsEmptyOutputsWithTheirShapes()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session, dynamicSize: 0);

        using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [], Token);

        for (int i = 0; i < outputs.Count; i++)
        {
            if (session.Outputs[i].Shape.Any(d => d < 0))
            {
                Assert.Equal(0, outputs[i].ElementCount);
                Assert.Contains(0L, outputs[i].Shape.ToArray());
            }
        }
    }

    [Fact]
    public void Outputs_AfterDispose_ThrowObjectDisposed()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [], Token);
        OnnxOutput first = outputs[0];
        outputs.Dispose();
        outputs.Dispose();

        Assert.Throws<ObjectDisposedException>(() => first.Shape.Length);
        Assert.Throws<ObjectDisposedException>(() => outputs[0]);
    }

    [Fact]
    public void OutputGetData_WrongElementType_ThrowsNamingBothTypes()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [], Token);
        OnnxOutput floatOutput = Enumerable.Range(0, outputs.Count).Select(i => outputs[i]).First(o => o.ElementType == OnnxElementType.Float);

        var ex = Assert.Throws<InvalidOperationException>(() => floatOutput.GetData<long>().Length);

        Assert.Contains("float", ex.Message, StringComparison.Ordinal);
        Assert.Contains("int64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputsByName_UnknownName_ThrowsListingTheOutputs()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");
        using var inputs = OnnxTestInputs.For(session);
        using OnnxOutputs outputs = session.Run(inputs.Names, inputs.Tensors, [session.Outputs[0].Name], Token);

        var ex = Assert.Throws<KeyNotFoundException>(() => outputs["missing"]);

        Assert.Contains(session.Outputs[0].Name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SessionConfigEntries_AreAccepted()
    {
        var options = OnnxTestModels.Options();
        options.SessionConfigEntries["session.inter_op.allow_spinning"] = "0";
        options.SessionConfigEntries["session.use_env_allocators"] = "0";

        using OnnxSession session = OnnxSession.Create(OnnxTestModels.Path("ort-dtypes"), options);

        Assert.NotEmpty(session.Inputs);

        // An entry with a visible effect shows the entries reach the runtime: read as ORT format, an .onnx file fails.
        options.SessionConfigEntries["session.load_model_format"] = "ORT";
        var ex = Assert.ThrowsAny<EmbeddingException>(() => OnnxSession.Create(OnnxTestModels.Path("ort-dtypes"), options));
        TestContext.Current.TestOutputHelper?.WriteLine(ex.Message);
        Assert.Contains("ORT model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelName_IsTheFullPath()
    {
        using OnnxSession session = OnnxTestModels.Open("ort-dtypes");

        Assert.Equal(Path.GetFullPath(OnnxTestModels.Path("ort-dtypes")), session.ModelName);
        Assert.Equal(OnnxExecutionProvider.Cpu, session.ExecutionProvider);
        Assert.StartsWith(TestAssets.RepoRoot, session.ModelName, StringComparison.Ordinal);
    }
}
