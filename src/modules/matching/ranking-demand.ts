import type { DataSource, EntityManager } from 'typeorm';
import {
  ageBandDemandRows,
  cohortShareRows,
  neighbourRows,
  neighboursWrittenBy,
  repeatRows,
  segmentDemandRows,
  serviceStandingRows,
  type SegmentDemandRow,
  type ServiceStanding,
} from './ranking.queries';
import { ExpiringMemo } from '../../lib/memos';
import { whenCatalogueForgotten } from '../catalogue/catalogue-snapshot';
import type { CohortShare, CoUseNeighbour } from './scoring';
import { coUseLiftLowerBound } from './aggregates';
import { REPEAT_WINDOW_DAYS, type RepeatRow } from './repeat-rate';

export type { ServiceStanding };

/**
 * Where shared demand is read from, and for how long a copy is reused
 * (RANKING_DEMAND_SECONDS): rebuilding the copies and what rankings derive from them took a
 * sixth of a busy process's time when it ran every 5 s.
 */
export interface DemandSource {
  dataSource: DataSource;
  db: EntityManager;
  config: { rankingDemandSeconds: number };
}

/**
 * Service standing, segment demand, cohort shares and neighbours, shared by the rankings of
 * RANKING_DEMAND_SECONDS; each copy lives that long ± a quarter, so that refreshes do not
 * bunch up (together they took a busy process's thread for tens of milliseconds, the
 * rankings' slowest percent).
 */
const DEMAND_TTL_SPREAD = 0.5;

/**
 * A city whose views and uses of the last TREND_DAYS are fewer than this is young (a new
 * deployment, a pilot district): its copies of shared demand are cheap to read, and one of
 * 30 s would hide the first days' demand from rankings for that long after it was recorded,
 * so they live at most SMALL_CITY_TTL_MS. Until the first copy of the standing is read, a
 * city counts as young.
 */
const SMALL_CITY_RECENT_SIGNALS = 20_000;
const SMALL_CITY_TTL_MS = 2_000;

/**
 * The city's repeat rate reads every recent (citizen, service) pair (a pass over
 * citizen_service_score: 4.8 s on PostgreSQL for 2.5 million pairs, docs/matching.md): a city's
 * copy of it lives this many times as long as the other copies (it is read again in the
 * background, the old copy served meanwhile), a young city's as long.
 */
const REPEAT_TTL_FACTOR = 20;

interface DemandMemos {
  /** The last copy of the standing counted fewer than SMALL_CITY_RECENT_SIGNALS recent views and uses. */
  smallCity: boolean;
  standing: ExpiringMemo<Map<string, ServiceStanding>>;
  neighbours: ExpiringMemo<ServiceNeighbours>;
  /** The neighbours last read, with the transaction that wrote them. */
  lastNeighbours?: { writtenBy: string | null; neighbours: ServiceNeighbours };
  segment: ExpiringMemo<SegmentDemand>;
  cohort: ExpiringMemo<CohortShare>;
  repeats: ExpiringMemo<RepeatRow[]>;
}
const demandMemos = new WeakMap<DataSource, DemandMemos>();

function demandMemosOf({ dataSource, config }: DemandSource): DemandMemos {
  let memos = demandMemos.get(dataSource);
  if (!memos) {
    const configuredMs = config.rankingDemandSeconds * 1000;
    const ttlMs = () => (created.smallCity ? Math.min(configuredMs, SMALL_CITY_TTL_MS) : configuredMs);
    const created: DemandMemos = {
      smallCity: true,
      standing: new ExpiringMemo(ttlMs, 1, DEMAND_TTL_SPREAD),
      neighbours: new ExpiringMemo(ttlMs, 1, DEMAND_TTL_SPREAD),
      segment: new ExpiringMemo(ttlMs, 1_000, DEMAND_TTL_SPREAD),
      cohort: new ExpiringMemo(ttlMs, 1_000, DEMAND_TTL_SPREAD),
      // A city's habits change over weeks: read every REPEAT_TTL_FACTOR copies of the rest.
      repeats: new ExpiringMemo(() => ttlMs() * (created.smallCity ? 1 : REPEAT_TTL_FACTOR), 1, DEMAND_TTL_SPREAD),
    };
    memos = created;
    demandMemos.set(dataSource, memos);
  }
  return memos;
}

/**
 * One string per service id across the copies of shared demand: each copy read from the
 * database brings its own strings of the same ids (per cohort, segment and neighbour list: tens
 * of thousands at city scale), which the heap would otherwise keep many times over and mark at
 * every full collection. Emptied past its size, which loses only the sharing.
 */
const SERVICE_ID_STRINGS = 20_000;
const serviceIdStrings = new Map<string, string>();
function sharedId(id: string): string {
  const known = serviceIdStrings.get(id);
  if (known !== undefined) return known;
  if (serviceIdStrings.size >= SERVICE_ID_STRINGS) serviceIdStrings.clear();
  serviceIdStrings.set(id, id);
  return id;
}

/** A segment's (or an age band's) stored (epoch-scaled) demand per service, and how many of its citizens used each. */
export interface SegmentDemand {
  scores: Map<string, number>;
  users: Map<string, number>;
}

function segmentDemandOf(rows: readonly SegmentDemandRow[]): SegmentDemand {
  const scores = new Map<string, number>();
  const users = new Map<string, number>();
  for (const r of rows) {
    const id = sharedId(r.serviceId);
    scores.set(id, r.score);
    if (r.citizens > 0) users.set(id, r.citizens);
  }
  return { scores, users };
}

/** Stored (epoch-scaled) demand per service of a district, of one age band or of all, with its users; cached (see DemandSource). */
export function segmentDemand(
  source: DemandSource,
  districtCode: string,
  ageBand: string | null,
): Promise<SegmentDemand> {
  const { db } = source;
  return demandMemosOf(source).segment.get(`${districtCode}:${ageBand ?? ''}`, async () =>
    segmentDemandOf(await segmentDemandRows(db, districtCode, ageBand)),
  );
}

/**
 * Stored (epoch-scaled) demand per service of an age band across the city (its segments of
 * every district), what a thin segment leans on (ageBandSmoothing), with its users; cached
 * (see DemandSource).
 */
export function ageBandDemand(source: DemandSource, ageBand: string): Promise<SegmentDemand> {
  return demandMemosOf(source).segment.get(`*:${ageBand}`, async () =>
    segmentDemandOf(await ageBandDemandRows(source.db, ageBand)),
  );
}

/**
 * The shares of demand among citizens of the age band sharing each of `tags`, in tag order
 * (scoring takes the best per service; ties: the first tag). Each tag's shares are cached on
 * their own: a citizen's tags are one of thousands of combinations, a tag one of a dozen.
 */
export async function cohortShares(
  source: DemandSource,
  ageBand: string,
  tags: readonly string[],
): Promise<CohortShare[]> {
  const sorted = [...new Set(tags)].sort();
  return Promise.all(
    sorted.map((tag) =>
      demandMemosOf(source).cohort.get(`${ageBand}:${tag}`, async () => {
        const rows = await cohortShareRows(source.db, ageBand, tag);
        return { tag, shares: new Map(rows.map((r) => [sharedId(r.serviceId), r.share])) };
      }),
    ),
  );
}

/** Votes, ratings and popularity of every published service; cached (see DemandSource). */
export function serviceStanding(source: DemandSource): Promise<Map<string, ServiceStanding>> {
  const { db } = source;
  const memos = demandMemosOf(source);
  return memos.standing.get('all', async () => {
    const rows = await serviceStandingRows(db);
    let recent = 0;
    for (const row of rows) recent += row.recentSignals;
    memos.smallCity = recent < SMALL_CITY_RECENT_SIGNALS;
    return new Map(rows.map(({ id, ...standing }) => [sharedId(id), standing]));
  });
}

/**
 * The (citizen, service) pairs of the last REPEAT_WINDOW_DAYS grouped as the city's repeat
 * rate reads them (repeat-rate.ts); cached (see DemandSource, REPEAT_TTL_FACTOR).
 */
export function cityRepeatRows(source: DemandSource): Promise<RepeatRow[]> {
  return demandMemosOf(source).repeats.get('all', () =>
    repeatRows(source.db, new Date(Date.now() - REPEAT_WINDOW_DAYS * 86_400_000)),
  );
}

/**
 * How long a ranking waits for the repeat rows when no copy is ready: a process's first read at
 * city scale takes seconds, and until it is there rankings go on as a city without the rate
 * (a used service counts in full).
 */
export const REPEAT_ROWS_WAIT_MS = 200;

/** cityRepeatRows, or none (the rate's fallback) when they are not there within `waitMs`. */
export async function cityRepeatRowsWithin(source: DemandSource, waitMs = REPEAT_ROWS_WAIT_MS): Promise<RepeatRow[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<RepeatRow[]>((resolve) => {
    timer = setTimeout(() => resolve([]), waitMs);
  });
  try {
    return await Promise.race([cityRepeatRows(source), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Each service's item-to-item neighbours, best first. */
export type ServiceNeighbours = ReadonlyMap<string, readonly CoUseNeighbour[]>;

/**
 * The neighbours of every service (service_neighbour, about 20 per service), cached (see
 * DemandSource): a job rewrites them every NEIGHBOUR_REFRESH_MINUTES, and a ranking reads
 * those of each service in the citizen's history, so they are not read per ranking.
 * The job rewrites the whole table with one INSERT (refreshServiceNeighbours), so the
 * transaction that wrote any row (its xmin) tells whether they changed; they are read again
 * only then.
 */
export function serviceNeighbours(source: DemandSource): Promise<ServiceNeighbours> {
  const { db } = source;
  const memos = demandMemosOf(source);
  return memos.neighbours.get('all', async () => {
    const writtenBy = await neighboursWrittenBy(db);
    if (memos.lastNeighbours && memos.lastNeighbours.writtenBy === writtenBy) return memos.lastNeighbours.neighbours;
    const rows = await neighbourRows(db);
    const neighbours = new Map<string, CoUseNeighbour[]>();
    for (const r of rows) {
      const neighbour = {
        id: sharedId(r.neighbourId),
        similarity: r.similarity,
        lift: coUseLiftLowerBound(r.coCitizens, r.expectedCoCitizens),
      };
      const list = neighbours.get(r.serviceId);
      if (list) list.push(neighbour);
      else neighbours.set(sharedId(r.serviceId), [neighbour]);
    }
    memos.lastNeighbours = { writtenBy, neighbours };
    return neighbours;
  });
}

// Forgotten with the catalogue's snapshot (a retired or approved service, tests that change data).
whenCatalogueForgotten((dataSource) => demandMemos.delete(dataSource));
