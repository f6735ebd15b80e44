import pino from 'pino';
import type { DataSource } from 'typeorm';
import { startJob, type ScheduledJob } from './jobs';

// Jobs without a lock: the runner hands them the data source's manager and nothing else, so the
// schedule is tested on its own here; the locks are tested against both databases in test/e2e.
const dataSource = { manager: {} } as DataSource;

/** A job whose runs the test finishes one by one. */
function controlledJob(options: Partial<ScheduledJob<number>> = {}) {
  const runs: { finish: (value: number) => void; fail: (error: Error) => void }[] = [];
  let active = 0;
  let mostAtOnce = 0;
  const job: ScheduledJob<number> = {
    name: 'test-job',
    run: () =>
      new Promise<number>((resolve, reject) => {
        active += 1;
        mostAtOnce = Math.max(mostAtOnce, active);
        const end = () => (active -= 1);
        runs.push({ finish: (value) => (end(), resolve(value)), fail: (error) => (end(), reject(error)) });
      }),
    failure: { message: 'test job failed' },
    ...options,
  };
  return { job, runs, mostAtOnce: () => mostAtOnce };
}

function recordingLogger() {
  const lines: { level: number; msg: string; job?: string; ms?: number; [field: string]: unknown }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('startJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval from the end of the last run, never two at once', async () => {
    const { job, runs, mostAtOnce } = controlledJob();
    const runner = startJob(job, { intervalMs: 1_000 }, { dataSource, logger: recordingLogger().logger });
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    // A long run: no second one starts while it lasts.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toHaveLength(1);
    runs[0].finish(0);
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1].finish(0);
    await runner.stop();
    expect(mostAtOnce()).toBe(1);
  });

  it('runs at once again when a run says there is more, and when nudged during a run', async () => {
    const { job, runs } = controlledJob({ more: (written) => written === 10 });
    const runner = startJob(
      job,
      { intervalMs: 1_000, firstRunMs: 0 },
      { dataSource, logger: recordingLogger().logger },
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    runs[0].finish(10);
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    runner.nudge();
    runner.nudge();
    runs[1].finish(3);
    await jest.advanceTimersByTimeAsync(0);
    // The two nudges during the run make one run after it.
    expect(runs).toHaveLength(3);
    runs[2].finish(3);
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(4);
    runs[3].finish(0);
    await runner.stop();
  });

  it('runs sooner than the interval when a run asks for it, never later', async () => {
    const { job, runs } = controlledJob({ nextRunMs: (pairs) => (pairs < 5 ? 100 : 5_000) });
    const runner = startJob(
      job,
      { intervalMs: 1_000, firstRunMs: 0 },
      { dataSource, logger: recordingLogger().logger },
    );
    await jest.advanceTimersByTimeAsync(0);
    runs[0].finish(1);
    await jest.advanceTimersByTimeAsync(99);
    expect(runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    // Asking for later than the interval keeps the interval.
    runs[1].finish(10);
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(3);
    runs[2].finish(10);
    await runner.stop();
  });

  it('with no interval runs only when nudged, after the nudge delay, nudges coalescing', async () => {
    const { job, runs } = controlledJob();
    const runner = startJob(job, { intervalMs: 0, nudgeDelayMs: 20 }, { dataSource, logger: recordingLogger().logger });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(0);
    runner.nudge();
    await jest.advanceTimersByTimeAsync(10);
    runner.nudge();
    await jest.advanceTimersByTimeAsync(9);
    expect(runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    runs[0].finish(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);
    await runner.stop();
  });

  it('logs a failed run with the job and goes on; logs what a run did', async () => {
    const { logger, lines } = recordingLogger();
    const { job, runs } = controlledJob({
      done: { message: 'did the work', fields: (n) => (n > 0 ? { items: n } : null) },
      failure: { message: 'the work failed', level: 'warn' },
    });
    const runner = startJob(job, { intervalMs: 100 }, { dataSource, logger });
    await jest.advanceTimersByTimeAsync(100);
    runs[0].fail(new Error('database unavailable'));
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(2);
    runs[1].finish(0);
    await jest.advanceTimersByTimeAsync(100);
    runs[2].finish(7);
    await runner.stop();
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, job: 'test-job', msg: 'the work failed', err: expect.anything() }),
      expect.objectContaining({ level: 30, job: 'test-job', msg: 'did the work', items: 7, ms: expect.any(Number) }),
    ]);
  });

  it('stop waits for the run in progress, and nothing runs after it', async () => {
    const { job, runs } = controlledJob();
    const runner = startJob(job, { intervalMs: 100 }, { dataSource, logger: recordingLogger().logger });
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    runs[0].finish(0);
    await stopping;
    runner.nudge();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
  });

  it('waits out intervals longer than a timer can (about 24.8 days) instead of running at once', async () => {
    const { job, runs } = controlledJob();
    const year = 365 * 86_400_000;
    const runner = startJob(job, { intervalMs: year }, { dataSource, logger: recordingLogger().logger });
    await jest.advanceTimersByTimeAsync(year - 1_000);
    expect(runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
    runs[0].finish(0);
    await runner.stop();
  });
});
