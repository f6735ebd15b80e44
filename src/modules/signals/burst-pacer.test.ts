import { BurstPacer, burstWaitMs, DEFAULT_PACING, type PendingAges } from './rollup-worker';

const pacing = { ...DEFAULT_PACING, quietMs: 250, maxLagMs: 10_000, smallBacklog: 2_000, smallBacklogLagMs: 1_000 };

/** A pacer on a clock the test moves, reading the ages it is given and counting the reads. */
function pacerWith(ages: { current: PendingAges }) {
  const clock = { now: 0 };
  let reads = 0;
  const pacer = new BurstPacer(
    pacing,
    async () => {
      reads += 1;
      return ages.current;
    },
    () => clock.now,
  );
  return { pacer, clock, reads: () => reads };
}

describe('burstWaitMs', () => {
  it('waits while signals arrive, until the oldest pending reaches the lag of its backlog', () => {
    expect(burstWaitMs(null, pacing)).toBe(0);
    expect(burstWaitMs({ newestMs: 300, oldestMs: 400, pending: 5_000 }, pacing)).toBe(0);
    expect(burstWaitMs({ newestMs: 10, oldestMs: 400, pending: 5_000 }, pacing)).toBe(9_600);
    expect(burstWaitMs({ newestMs: 10, oldestMs: 400, pending: 100 }, pacing)).toBe(600);
    expect(burstWaitMs({ newestMs: 10, oldestMs: 12_000, pending: 5_000 }, pacing)).toBe(0);
    expect(burstWaitMs({ newestMs: 10, oldestMs: 400, pending: 5_000 }, { ...pacing, maxLagMs: 0 })).toBe(0);
  });
});

describe('BurstPacer', () => {
  it('asks the database once per burst while this process keeps inserting, and again when the lag is reached', async () => {
    const ages = { current: { newestMs: 10, oldestMs: 1_000, pending: 5_000 } as PendingAges };
    const { pacer, clock, reads } = pacerWith(ages);
    pacer.inserted();
    expect(await pacer.waits()).toBe(true);
    expect(reads()).toBe(1);
    // Inserting on, within the 9 s the burst may still last: no more reads.
    for (clock.now = 100; clock.now < 9_000; clock.now += 100) {
      pacer.inserted();
      expect(await pacer.waits()).toBe(true);
    }
    expect(reads()).toBe(1);
    // At the lag the database is asked again, and says the run is due.
    clock.now = 9_000;
    pacer.inserted();
    ages.current = { newestMs: 10, oldestMs: 10_000, pending: 90_000 };
    expect(await pacer.waits()).toBe(false);
    expect(reads()).toBe(2);
    // After a run that said no wait, the next look asks again.
    expect(await pacer.waits()).toBe(false);
    expect(reads()).toBe(3);
  });

  it('asks again once this process has not inserted for the quiet period (another process may still be)', async () => {
    const ages = { current: { newestMs: 10, oldestMs: 100, pending: 5_000 } as PendingAges };
    const { pacer, clock, reads } = pacerWith(ages);
    pacer.inserted();
    expect(await pacer.waits()).toBe(true);
    clock.now = 300;
    expect(await pacer.waits()).toBe(true);
    expect(reads()).toBe(2);
    ages.current = { newestMs: 400, oldestMs: 800, pending: 5_000 };
    clock.now = 700;
    expect(await pacer.waits()).toBe(false);
    expect(reads()).toBe(3);
  });

  it('never waits with pacing off, and asks nothing then', async () => {
    const pacer = new BurstPacer({ ...pacing, maxLagMs: 0 }, async () => {
      throw new Error('not asked');
    });
    pacer.inserted();
    expect(await pacer.waits()).toBe(false);
  });
});
