import { fork } from 'node:child_process';
import path from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Database } from '../../db/database';
import { withAdvisorySessionLock, type ScheduledJob } from '../../core/jobs';
import { buildCatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from './catalogue-index';
import { DEFAULT_FIT, fitAndEvaluate, type FitOptions, type FitOutcome, type SignalSource } from './ranking-fit';
import { saveFittedModel } from './ranking-models';
import { fitSignalRows, personalisedCitizens } from './ranking.queries';
import type { FeatureCitizen, FeatureService, SignalRecord, TextRecord } from './signal-features';

/** Advisory lock key of the fit: one process at a time runs it. */
const LOCK_KEY = 0x6d73_6674; // "msft"

/** The signal table as a SignalSource: the catalogue's published services, the citizens, their signals by time. */
export function databaseSignalSource(dataSource: DataSource): SignalSource {
  const db = dataSource.manager;
  let snapshot: ReturnType<typeof buildCatalogueSnapshot> | undefined;
  const catalogue = () => (snapshot ??= buildCatalogueSnapshot(db));
  return {
    async services(): Promise<FeatureService[]> {
      return [...(await catalogue()).services.values()].map((s) => ({
        id: s.id,
        title: s.title,
        categoryId: s.categoryId,
        parentCategoryId: s.parentCategoryId,
        categoryName: s.categoryName,
        minAge: s.minAge,
        maxAge: s.maxAge,
        requiredTags: s.requiredTags,
        districtCodes: s.districtCodes,
      }));
    },
    async citizens(): Promise<Map<string, FeatureCitizen>> {
      const rows = await personalisedCitizens(db);
      return new Map(rows.map((r) => [r.id, r]));
    },
    async signals(since, before) {
      const rows = await fitSignalRows(db, since, before);
      const signals: SignalRecord[] = [];
      const texts: TextRecord[] = [];
      for (const r of rows) {
        if (r.text) texts.push({ citizenId: r.citizenId, text: r.text, at: r.at });
        else if (r.serviceId)
          signals.push({
            citizenId: r.citizenId,
            serviceId: r.serviceId,
            kind: r.kind,
            stars: r.stars,
            at: r.at,
            districtCode: r.districtCode,
            ageBand: r.ageBand,
          });
      }
      return { signals, texts };
    },
    async textMatch() {
      const { matcher } = catalogueIndexOf(await catalogue());
      return (text) =>
        matcher
          .rank(text)
          .slice(0, 20)
          .map((m) => ({ serviceId: matcher.serviceIdAt(m.index), score: m.score }));
    },
  };
}

export interface FitRun {
  outcome: FitOutcome;
  /** The stored model's id; null when there was too little data (the defaults stay). */
  modelId: number | null;
  activated: boolean;
}

/**
 * Fits, evaluates and stores a model (activated when it beat the defaults on the evaluation
 * week), unless another process is fitting: null then. The exclusion is a session advisory
 * lock, held for the whole fit (longer than a transaction should last).
 */
export async function runRankingFitOnce(
  database: Pick<Database, 'dataSource' | 'embedded'>,
  options: Partial<FitOptions> = {},
): Promise<FitRun | null> {
  return withAdvisorySessionLock(database, LOCK_KEY, async () => {
    const outcome = await fitAndEvaluate(databaseSignalSource(database.dataSource), {
      ...DEFAULT_FIT,
      end: new Date(),
      ...options,
    });
    if (outcome.kind !== 'fitted') return { outcome, modelId: null, activated: false };
    const activate = outcome.evaluation.fitted > outcome.evaluation.defaults;
    return { outcome, modelId: await saveFittedModel(database.dataSource, outcome, activate), activated: activate };
  });
}

/**
 * How long after the server starts a fit that is due (none stored yet, or the last older than
 * the interval) runs: past the start's own work (neighbours, text index), not inside it.
 */
export const DUE_FIT_DELAY_MS = 5 * 60_000;

/**
 * When the first fit of a process runs, counted from the newest stored fit so that restarts
 * (each deployment) do not put the schedule off: the interval after it, or DUE_FIT_DELAY_MS
 * after the start when that time has passed or nothing was fitted yet.
 */
export function firstFitInMs(newestFit: Date | null, intervalMs: number, now: number): number {
  if (newestFit === null) return DUE_FIT_DELAY_MS;
  return Math.max(DUE_FIT_DELAY_MS, newestFit.getTime() + intervalMs - now);
}

/** The command-line fit (dist path), which the schedule runs in a process of its own on PostgreSQL. */
const FIT_CLI = path.join(__dirname, 'fit-cli.js');
/** Heap of the forked fit: the signals of the window are held in memory while it runs. */
const FIT_HEAP_MB = 2048;

function forkedFit(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const child = fork(FIT_CLI, [], { execArgv: [`--max-old-space-size=${FIT_HEAP_MB}`], stdio: 'inherit' });
    child.on('exit', (code) => {
      if (code !== 0) logger.error({ code }, 'ranking fit process failed');
      resolve();
    });
    child.on('error', (error) => {
      logger.error({ err: error }, 'ranking fit process could not start');
      resolve();
    });
  });
}

/**
 * Fits the ranking. On PostgreSQL each run is a child process (its own heap and core; the fit's
 * advisory lock, taken there, keeps it to one process of the deployment); on the embedded
 * database it runs in this process, yielding between evaluations.
 */
export function rankingFitJob(
  database: Pick<Database, 'dataSource' | 'embedded'>,
  logger: Logger,
): ScheduledJob<FitRun> {
  return {
    name: 'ranking-fit',
    run: () => (database.embedded ? runRankingFitOnce(database) : forkedFit(logger).then(() => null)),
    done: {
      message: 'fitted the ranking',
      fields: (r) => ({
        model: r.modelId,
        activated: r.activated,
        outcome: r.outcome.kind,
        validation: r.outcome.kind === 'fitted' ? r.outcome.trace.validation?.kept : undefined,
      }),
    },
    failure: { message: 'ranking fit failed' },
  };
}
