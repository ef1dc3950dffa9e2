// Per-run time of onnxruntime-node on a model, with the session settings of the binding's benchmark (one intra-op and
// one inter-op thread), on the same kind of inputs (every dynamic dimension 2).
//   node bench.mjs <model.onnx> [runs]
import ort from 'onnxruntime-node';

const [model, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 20000);
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', enableCpuMemArena: false,
});

const feeds = {};
for (const meta of session.inputMetadata) {
  const shape = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 2));
  const count = shape.reduce((a, b) => a * b, 1);
  const data = {
    float32: () => Float32Array.from({ length: count }, (_, i) => i * 0.25),
    int64: () => BigInt64Array.from({ length: count }, (_, i) => BigInt(i)),
    int32: () => Int32Array.from({ length: count }, (_, i) => i),
    float16: () => Uint16Array.from({ length: count }, (_, i) => (i === 0 ? 0 : 0x3c00 + i)),
    bool: () => Uint8Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 1 : 0)),
  }[meta.type]();
  feeds[meta.name] = new ort.Tensor(meta.type, data, shape);
}

// Each round: `runs` sequential awaited runs, reading one output. Median of the rounds after a warm-up round.
const perRun = [];
for (let round = 0; round < 6; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const out = await session.run(feeds);
    if (out[session.outputNames[0]].data.length < 0) throw new Error('unreachable');
  }
  const us = Number(process.hrtime.bigint() - start) / 1000 / runs;
  if (round > 0) perRun.push(us);
}
perRun.sort((a, b) => a - b);
const median = perRun[Math.floor(perRun.length / 2)];
console.log(JSON.stringify({ runtime: 'onnxruntime-node', model, runsPerRound: runs, rounds: perRun.length, medianMicrosecondsPerRun: Number(median.toFixed(2)), minMicrosecondsPerRun: Number(perRun[0].toFixed(2)), maxMicrosecondsPerRun: Number(perRun[perRun.length - 1].toFixed(2)) }));
await session.release();
