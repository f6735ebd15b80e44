import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/database';
import { rebuildMatchingAggregates } from '../../src/modules/matching/aggregates';
import { rebuildServiceActivity } from '../../src/modules/signals/service-activity.backfill';
import { seed } from '../../seeds/cli';

export interface PopulationOptions {
  citizens: number;
  signals: number;
  seed: number;
  sample: number;
}

/** `--citizens`, `--signals`, `--seed`, `--sample` from the command line, else `defaults`. */
export function populationOptions(argv: string[], defaults: PopulationOptions): PopulationOptions {
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return {
    citizens: value('--citizens', defaults.citizens),
    signals: value('--signals', defaults.signals),
    seed: value('--seed', defaults.seed),
    sample: value('--sample', defaults.sample),
  };
}

/** The last days of the synthetic half year, held out as what each citizen went on to use. */
export const HOLDOUT_DAYS = 14;

export interface HeldOutPopulation {
  database: Database;
  dataDir: string;
  /** Where the held-out days begin (today, midnight UTC). */
  split: Date;
  /** Per citizen: the services they viewed, used or rated in the held-out days. */
  truth: Map<string, Set<string>>;
  dispose(): Promise<void>;
}

/**
 * A synthetic population (planted preferences, seeds/population.ts) in a fresh embedded
 * database, with its last HOLDOUT_DAYS of signals taken out as the truth and the derived
 * tables rebuilt from what is left (a temporal split).
 */
export async function heldOutPopulation(opts: { citizens: number; signals: number; seed: number }, prefix: string): Promise<HeldOutPopulation> {
  const today = new Date();
  const split = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const anchor = new Date(split.getTime() + HOLDOUT_DAYS * 86_400_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  let database: Database | undefined;
  try {
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    const log = console.log;
    console.log = () => undefined; // the generator's progress lines
    try {
      await seed({ citizens: opts.citizens, signals: opts.signals, seed: opts.seed, days: 180, now: anchor, reset: false, services: 0 });
    } finally {
      console.log = log;
    }
    database = await openDatabase({ dataDir, poolSize: 1 });
    const db = database.dataSource.manager;
    const heldOut: { citizenId: string; serviceId: string }[] = await db.query(
      `SELECT DISTINCT citizen_id AS "citizenId", service_id AS "serviceId" FROM signal
        WHERE occurred_at >= $1 AND service_id IS NOT NULL AND kind IN ('VIEW', 'USE', 'RATING')`,
      [split],
    );
    await db.query('DELETE FROM signal WHERE occurred_at >= $1', [split]);
    await rebuildServiceActivity(db);
    await rebuildMatchingAggregates(db);
    const truth = new Map<string, Set<string>>();
    for (const row of heldOut) truth.set(row.citizenId, (truth.get(row.citizenId) ?? new Set()).add(row.serviceId));
    const opened = database;
    return {
      database: opened,
      dataDir,
      split,
      truth,
      async dispose() {
        await opened.close();
        removeDir();
      },
    };
  } catch (error) {
    await database?.close();
    removeDir();
    throw error;
  }
}
