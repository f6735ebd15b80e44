import type { DataSource, EntityManager } from 'typeorm';
import { cityRepeatRowsWithin, type DemandSource } from './ranking-demand';
import type { RepeatRow } from './repeat-rate';

const ROWS: RepeatRow[] = [{ serviceId: 's', categorySignals: 3, serviceSignals: 2, citizens: 4 }];

/** A demand source whose statement answers after `delayMs` (the waiting rule, not the statement, is under test). */
function slowSource(delayMs: number): DemandSource & { reads: () => number } {
  let reads = 0;
  const db = {
    query: async () => {
      reads += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return ROWS;
    },
  } as unknown as EntityManager;
  return { dataSource: {} as DataSource, db, config: { rankingDemandSeconds: 30 }, reads: () => reads };
}

describe('cityRepeatRowsWithin', () => {
  it('ranks without the rows while the first read lasts longer than the wait, then with them', async () => {
    const source = slowSource(300);
    const started = Date.now();
    expect(await cityRepeatRowsWithin(source, 50)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(250);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await cityRepeatRowsWithin(source, 50)).toEqual(ROWS);
    expect(source.reads()).toBe(1);
  });

  it('waits for rows that come within the wait', async () => {
    expect(await cityRepeatRowsWithin(slowSource(10), 500)).toEqual(ROWS);
  });
});
