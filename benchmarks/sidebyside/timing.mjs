// What the node sides of benchmarks/run.sh share: their --name value options, and the timing loop every side uses
// (warm-up calls, then calls until both a minimum count and a minimum time are reached; wall and process CPU time).

/** The `--name value` pairs of an argument list, as an object. */
export function parseOptions(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--') && i + 1 < argv.length) options[argv[i].slice(2)] = argv[++i];
  }
  return options;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times an async call; returns the result fields every side prints (milliseconds). */
export async function measure(call, { warmup = 1, minRuns = 5, minSeconds = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await call();
  const wall = [];
  const cpu = [];
  const start = performance.now();
  while (wall.length < minRuns || performance.now() - start < minSeconds * 1000) {
    const c = process.cpuUsage();
    const t = performance.now();
    await call();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { median_ms: median(wall), min_ms: Math.min(...wall), max_ms: Math.max(...wall), cpu_median_ms: median(cpu), runs: wall.length };
}
