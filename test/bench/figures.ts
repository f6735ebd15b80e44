/** One line of the benchmark table: a measured figure against its target. */
export interface Figure {
  name: string;
  /** The median over the runs, with its unit. */
  median: string;
  /** The median p99 latency over the runs, or the slowest run where a run is one timing. */
  p99: string;
  target: string;
  /** null: no target (a reference figure). */
  met: boolean | null;
}

/** How long and how often each load runs. */
export interface BenchOptions {
  runs: number;
  seconds: number;
  warmupSeconds: number;
}

/** From BENCH_RUNS / BENCH_SECONDS / BENCH_WARMUP_SECONDS, or the short `--quick` settings that only check the suite works. */
export function benchOptions(defaults: BenchOptions, quick = process.argv.includes('--quick')): BenchOptions {
  if (quick) return { runs: 2, seconds: 2, warmupSeconds: 1 };
  return {
    runs: Number(process.env.BENCH_RUNS ?? defaults.runs),
    seconds: Number(process.env.BENCH_SECONDS ?? defaults.seconds),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? defaults.warmupSeconds),
  };
}

export const verdict = (met: boolean | null): string => (met === null ? '' : met ? 'met' : '**not met**');

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
