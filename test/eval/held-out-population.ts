import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/database';
import { rebuildMatchingAggregates } from '../../src/modules/matching/aggregates';
import { rebuildServiceActivity } from '../../src/modules/signals/service-activity.backfill';
import { recountServiceStats, seed } from '../../seeds/seed-cli';
import { seasonalMultiplier, type CatalogueService } from '../../seeds/population';

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
/**
 * Where the held-out days begin: a fixed city midnight (Monday 16 November 2026, Asia/Shanghai),
 * so that every run on any date builds the same population and prints the same figures.
 */
export const HOLDOUT_SPLIT = new Date('2026-11-15T16:00:00Z');
const DAY_MS = 86_400_000;
const CITY_OFFSET_MS = 8 * 3_600_000;

/**
 * The seasonal factor of each category over the held-out days (the mean of the generator's
 * monthly multiplier over those city days): held-out signals were drawn from the planted
 * preference times this factor, so the oracle ranks by both.
 */
export function heldOutSeason(split: Date = HOLDOUT_SPLIT): (categoryCode: string) => number {
  const months = Array.from(
    { length: HOLDOUT_DAYS },
    (_, k) => new Date(split.getTime() + k * DAY_MS + CITY_OFFSET_MS).getUTCMonth() + 1,
  );
  return (categoryCode) =>
    months.reduce((sum, month) => sum + seasonalMultiplier(categoryCode, month), 0) / months.length;
}

/** The oracle's scores: planted preference × the held-out days' seasonal factor of the category. */
export function seasonalOracle(
  planted: Map<string, number>,
  services: readonly CatalogueService[],
  split: Date = HOLDOUT_SPLIT,
): Map<string, number> {
  const season = heldOutSeason(split);
  const category = new Map(services.map((s) => [s.id, s.categoryCode]));
  return new Map([...planted].map(([id, p]) => [id, p * season(category.get(id)!)]));
}

export interface HeldOutPopulation {
  database: Database;
  dataDir: string;
  /** Where the held-out days begin (HOLDOUT_SPLIT). */
  split: Date;
  /** Votes and ratings made in the held-out days, taken out with their signals. */
  removed: { votes: number; ratings: number; ratingsRewound: number };
  /** Per citizen: the services they viewed, used or rated in the held-out days. */
  truth: Map<string, Set<string>>;
  dispose(): Promise<void>;
}

/**
 * A synthetic population (planted preferences, seeds/population.ts) in a fresh embedded
 * database, with its last HOLDOUT_DAYS of signals taken out as the truth, and with them the
 * votes and ratings made in those days (a rating first made before and changed in them goes
 * back to its last stars before the split); the derived tables are rebuilt from what is left
 * (a temporal split). `prepare` runs on the database before the derived tables are rebuilt.
 */
export async function heldOutPopulation(
  opts: { citizens: number; signals: number; seed: number },
  prefix: string,
): Promise<HeldOutPopulation> {
  const split = HOLDOUT_SPLIT;
  const anchor = new Date(split.getTime() + HOLDOUT_DAYS * DAY_MS);
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  let database: Database | undefined;
  try {
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    const log = console.log;
    console.log = () => undefined; // the generator's progress lines
    try {
      await seed({
        citizens: opts.citizens,
        signals: opts.signals,
        seed: opts.seed,
        days: 180,
        now: anchor,
        reset: false,
        services: 0,
      });
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
    const [, votes] = await db.query('DELETE FROM vote WHERE created_at >= $1', [split]);
    const [, ratings] = await db.query('DELETE FROM rating WHERE created_at >= $1', [split]);
    const [, ratingsRewound] = await db.query(
      `UPDATE rating r SET stars = last.rating, updated_at = last.occurred_at
         FROM (SELECT DISTINCT ON (citizen_id, service_id) citizen_id, service_id, rating, occurred_at
                 FROM signal WHERE kind = 'RATING' AND rating IS NOT NULL AND occurred_at < $1
                ORDER BY citizen_id, service_id, occurred_at DESC) last
        WHERE r.updated_at >= $1 AND last.citizen_id = r.citizen_id AND last.service_id = r.service_id`,
      [split],
    );
    await db.query('DELETE FROM signal WHERE occurred_at >= $1', [split]);
    await recountServiceStats(db);
    await rebuildServiceActivity(db);
    await rebuildMatchingAggregates(db);
    const truth = new Map<string, Set<string>>();
    for (const row of heldOut) truth.set(row.citizenId, (truth.get(row.citizenId) ?? new Set()).add(row.serviceId));
    const opened = database;
    return {
      database: opened,
      dataDir,
      split,
      removed: { votes: Number(votes), ratings: Number(ratings), ratingsRewound: Number(ratingsRewound) },
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
