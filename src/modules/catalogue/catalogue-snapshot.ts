import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../../db/sql';
import { SERVICE_COLUMNS } from './service-row';
import { eligibilityBoundaries, type EligibilityBoundaries } from '../matching/eligibility';
import { slotsOf, type CatalogueSlots, type CohortShare } from '../matching/scoring';
import { TextMatchMemo } from '../matching/text-match-memo';
import { TextMatcher } from '../matching/text-matcher';
import { RequestUnderstander } from '../matching/request-understanding';
import { seededNeedsModel } from '../needs/needs-data';
import { NeedRecogniser, servicePhrasesOf } from '../needs/need-recognition';

export interface SnapshotService {
  id: string;
  code: string;
  title: string;
  titleEn: string | null;
  tags: string[];
  summary: string;
  description: string | null;
  categoryId: string;
  parentCategoryId: string | null;
  categoryName: string;
  categoryCodes: string[];
  publishedAt: Date | null;
  minAge: number | null;
  maxAge: number | null;
  requiredTags: string[];
  districtCodes: string[];
  /** The service's row as the service loader reads it (SERVICE_COLUMNS), for the services of a ranking's page. */
  row: Readonly<Record<string, unknown>>;
}

export interface ServiceStanding {
  upvotes: number;
  downvotes: number;
  ratingCount: number;
  ratingSum: number;
  /** Stored (epoch-scaled) citywide demand; multiply by decayFactor(now). */
  popularity: number;
}

/** The published catalogue with its text matcher, rebuilt only when the catalogue changes. */
export interface CatalogueSnapshot {
  version: string;
  services: ReadonlyMap<string, SnapshotService>;
  matcher: TextMatcher;
  /** Request understanding (needs blended with the matcher), built on first use and kept with the snapshot. */
  understander(): RequestUnderstander;
  /** Services open to everyone, and those with an age, tag or district rule. */
  unrestricted: readonly SnapshotService[];
  restricted: readonly SnapshotService[];
  /** The catalogue's age limits, which tell citizens apart for eligibility (see eligibilityKey). */
  eligibility: EligibilityBoundaries;
  /** Each service's place in this catalogue (the order of `services`). */
  slots: CatalogueSlots;
  /**
   * When the catalogue was first loaded: the earliest publication of any service, which all
   * the services loaded with it share (the seed gives them its time). Later ones are new.
   */
  firstLoadedAt: Date | null;
  /** Per-snapshot memos of results that depend only on the catalogue and their key (bounded). */
  requestMatches: TextMatchMemo;
  eligibleServices: BoundedMemo;
}

/** A map that forgets everything when it grows past its size: results are cheap to redo. */
export class BoundedMemo {
  private readonly entries = new Map<string, unknown>();
  constructor(private readonly limit: number) {}

  get<T>(key: string, compute: () => T): T {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    if (this.entries.size >= this.limit) this.entries.clear();
    const value = compute();
    this.entries.set(key, value);
    return value;
  }
}

/** Memo sizes: a request text's matches take about 160 bytes, an eligible list about 12 KB. */
const REQUEST_MATCH_ENTRIES = 100_000;
export const ELIGIBLE_LIST_ENTRIES = 2_000;
/** Matches kept per request text: what a ranking's TEXT_MATCH component reads of each. */
export const MATCHES_PER_REQUEST = 20;

/** How often a process checks whether the catalogue changed. */
const VERSION_CHECK_MS = 2_000;

interface CacheEntry {
  snapshot: Promise<CatalogueSnapshot>;
  version: string;
  checkedAt: number;
}
const cache = new WeakMap<DataSource, CacheEntry>();

/**
 * Results kept for a few seconds per key; concurrent callers share one computation. Past its
 * time a result is still given while one caller's refresh runs (stale while revalidating), so
 * that no ranking waits for a refresh: results are at most the time plus one refresh old.
 * With a `spread` (0 to 1), each result's time is drawn from ttl × (1 ± spread / 2): results
 * computed together (a fresh process's first seconds) are then not all refreshed together.
 */
export class ExpiringMemo<T> {
  private readonly entries = new Map<string, { expiresAt: number; value: Promise<T>; ready: boolean; refreshing: boolean }>();
  constructor(
    private readonly ttlMs: number,
    private readonly limit: number,
    private readonly spread = 0,
  ) {}

  private expiry(from: number): number {
    return from + this.ttlMs * (1 + this.spread * (Math.random() - 0.5));
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && (now < entry.expiresAt || entry.refreshing)) return entry.value;
    if (entry?.ready) {
      entry.refreshing = true;
      const next = compute();
      next.then(
        () => this.entries.set(key, { expiresAt: this.expiry(Date.now()), value: next, ready: true, refreshing: false }),
        () => (entry.refreshing = false),
      );
      return entry.value;
    }
    if (this.entries.size >= this.limit) this.entries.clear();
    const value = compute();
    const created = { expiresAt: this.expiry(now), value, ready: false, refreshing: false };
    this.entries.set(key, created);
    value.then(
      () => (created.ready = true),
      () => this.entries.get(key) === created && this.entries.delete(key),
    );
    return value;
  }
}

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
interface DemandMemos {
  standing: ExpiringMemo<Map<string, ServiceStanding>>;
  neighbours: ExpiringMemo<ServiceNeighbours>;
  /** The neighbours last read, with the transaction that wrote them. */
  lastNeighbours?: { writtenBy: string | null; neighbours: ServiceNeighbours };
  segment: ExpiringMemo<Map<string, number>>;
  cohort: ExpiringMemo<CohortShare>;
}
const demandMemos = new WeakMap<DataSource, DemandMemos>();

function demandMemosOf({ dataSource, config }: DemandSource): DemandMemos {
  let memos = demandMemos.get(dataSource);
  if (!memos) {
    const ttlMs = config.rankingDemandSeconds * 1000;
    memos = {
      standing: new ExpiringMemo(ttlMs, 1, DEMAND_TTL_SPREAD),
      neighbours: new ExpiringMemo(ttlMs, 1, DEMAND_TTL_SPREAD),
      segment: new ExpiringMemo(ttlMs, 1_000, DEMAND_TTL_SPREAD),
      cohort: new ExpiringMemo(ttlMs, 1_000, DEMAND_TTL_SPREAD),
    };
    demandMemos.set(dataSource, memos);
  }
  return memos;
}

/** Stored (epoch-scaled) demand per service of a district, of one age band or of all; cached (see DemandSource). */
export function segmentDemand(source: DemandSource, districtCode: string, ageBand: string | null): Promise<Map<string, number>> {
  const { db } = source;
  return demandMemosOf(source).segment.get(`${districtCode}:${ageBand ?? ''}`, async () => {
    const rows = await queryRows<{ serviceId: string; score: number }>(
      db,
      `SELECT service_id AS "serviceId", sum(score) AS score FROM segment_service_score
        WHERE district_code = $1 AND ($2::age_band IS NULL OR age_band = $2) GROUP BY service_id`,
      [districtCode, ageBand],
    );
    return new Map(rows.map((r) => [r.serviceId, r.score]));
  });
}

/**
 * The shares of demand among citizens of the age band sharing each of `tags`, in tag order
 * (scoring takes the best per service; ties: the first tag). Each tag's shares are cached on
 * their own: a citizen's tags are one of thousands of combinations, a tag one of a dozen.
 */
export async function cohortShares(source: DemandSource, ageBand: string, tags: readonly string[]): Promise<CohortShare[]> {
  const sorted = [...new Set(tags)].sort();
  return Promise.all(
    sorted.map((tag) =>
      demandMemosOf(source).cohort.get(`${ageBand}:${tag}`, async () => {
        const rows = await queryRows<{ serviceId: string; share: number }>(
          source.db,
          `SELECT service_id AS "serviceId", share FROM (
             SELECT service_id, score / nullif(sum(score) OVER (), 0) AS share
               FROM cohort_service_score WHERE age_band = $1 AND tag = $2
           ) shares WHERE share IS NOT NULL`,
          [ageBand, tag],
        );
        return { tag, shares: new Map(rows.map((r) => [r.serviceId, r.share])) };
      }),
    ),
  );
}

async function catalogueVersion(db: EntityManager): Promise<string> {
  const [row] = await queryRows<{ version: string }>(
    db,
    `SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(version), 0) AS version
       FROM service WHERE status = 'PUBLISHED'`,
  );
  return row.version;
}

/** A snapshot of the catalogue as it is now, outside the cache (for batch jobs). */
export async function buildCatalogueSnapshot(db: EntityManager): Promise<CatalogueSnapshot> {
  return buildSnapshot(db, await catalogueVersion(db));
}

async function buildSnapshot(db: EntityManager, version: string): Promise<CatalogueSnapshot> {
  const rows = await queryRows<Record<string, unknown> & { id: string; categoryName: string; categoryCode: string; parentCategoryId: string | null; parentCode: string | null }>(
    db,
    `SELECT ${SERVICE_COLUMNS}, c.parent_id AS "parentCategoryId", c.name AS "categoryName", c.code AS "categoryCode", p.code AS "parentCode"
       FROM service s JOIN category c ON c.id = s.category_id LEFT JOIN category p ON p.id = c.parent_id
      WHERE s.status = 'PUBLISHED' ORDER BY s.code`,
  );
  const services = new Map<string, SnapshotService>();
  for (const { categoryName, categoryCode, parentCategoryId, parentCode, ...row } of rows) {
    const columns = row as unknown as Omit<SnapshotService, 'parentCategoryId' | 'categoryName' | 'categoryCodes' | 'row'>;
    const categoryCodes = parentCode ? [categoryCode, parentCode] : [categoryCode];
    services.set(row.id, { ...columns, parentCategoryId, categoryName, categoryCodes, row });
  }
  const [{ firstLoadedAt }] = await queryRows<{ firstLoadedAt: Date | null }>(
    db,
    'SELECT min(published_at) AS "firstLoadedAt" FROM service',
  );
  const all = [...services.values()];
  const slots = slotsOf(all.map(({ id, categoryId }, slot) => ({ id, categoryId, slot })));
  const isOpen = (s: SnapshotService) =>
    s.minAge === null && s.maxAge === null && s.requiredTags.length === 0 && s.districtCodes.length === 0;
  const matcher = new TextMatcher(all);
  let understander: RequestUnderstander | undefined;
  return {
    version,
    services,
    matcher,
    understander: () => {
      understander ??= new RequestUnderstander(
        matcher,
        recogniserFor(all),
        seededNeedsModel(),
        new Map(all.map((s) => [s.id, s.code])),
      );
      return understander;
    },
    unrestricted: all.filter(isOpen),
    restricted: all.filter((s) => !isOpen(s)),
    eligibility: eligibilityBoundaries(all),
    slots,
    firstLoadedAt,
    requestMatches: new TextMatchMemo(matcher, REQUEST_MATCH_ENTRIES, MATCHES_PER_REQUEST),
    eligibleServices: new BoundedMemo(ELIGIBLE_LIST_ENTRIES),
  };
}

let lastRecogniser: { phrases: string; recogniser: NeedRecogniser } | undefined;
/**
 * The need recogniser for the published services' titles and tags. Building one takes seconds
 * (the typo reader reads jieba's dictionary), so the process keeps the last one and reuses it
 * while those phrases stay the same, across catalogue versions that change other fields.
 */
function recogniserFor(services: readonly SnapshotService[]): NeedRecogniser {
  const servicePhrases = servicePhrasesOf(services);
  const phrases = JSON.stringify([...servicePhrases]);
  if (lastRecogniser?.phrases !== phrases) {
    lastRecogniser = { phrases, recogniser: new NeedRecogniser(seededNeedsModel(), { servicePhrases }) };
  }
  return lastRecogniser.recogniser;
}

/** The current snapshot; concurrent callers share one build. */
export async function catalogueSnapshot(dataSource: DataSource, db: EntityManager): Promise<CatalogueSnapshot> {
  const now = Date.now();
  let entry = cache.get(dataSource);
  if (entry && now - entry.checkedAt < VERSION_CHECK_MS) return entry.snapshot;
  const version = await catalogueVersion(db);
  entry = cache.get(dataSource);
  if (entry && entry.version === version) {
    entry.checkedAt = now;
    return entry.snapshot;
  }
  const snapshot = buildSnapshot(db, version);
  cache.set(dataSource, { snapshot, version, checkedAt: now });
  snapshot.catch(() => cache.delete(dataSource));
  return snapshot;
}

/** Votes, ratings and popularity of every published service; cached (see DemandSource). */
export function serviceStanding(source: DemandSource): Promise<Map<string, ServiceStanding>> {
  const { db } = source;
  return demandMemosOf(source).standing.get('all', async () => {
    const rows = await queryRows<ServiceStanding & { id: string }>(
      db,
      `SELECT s.id, coalesce(st.upvotes, 0) AS upvotes, coalesce(st.downvotes, 0) AS downvotes,
              coalesce(st.rating_count, 0) AS "ratingCount", coalesce(st.rating_sum, 0) AS "ratingSum",
              coalesce(p.score, 0) AS popularity
         FROM service s LEFT JOIN service_stats st ON st.service_id = s.id LEFT JOIN service_popularity p ON p.service_id = s.id
        WHERE s.status = 'PUBLISHED'`,
    );
    return new Map(rows.map(({ id, ...standing }) => [id, standing]));
  });
}

/** Each service's item-to-item neighbours, best first. */
export type ServiceNeighbours = ReadonlyMap<string, readonly { id: string; similarity: number }[]>;

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
    const [written] = await queryRows<{ writtenBy: string }>(db, 'SELECT xmin::text AS "writtenBy" FROM service_neighbour LIMIT 1');
    const writtenBy = written?.writtenBy ?? null;
    if (memos.lastNeighbours && memos.lastNeighbours.writtenBy === writtenBy) return memos.lastNeighbours.neighbours;
    const rows = await queryRows<{ serviceId: string; neighbourId: string; similarity: number }>(
      db,
      `SELECT service_id AS "serviceId", neighbour_id AS "neighbourId", similarity FROM service_neighbour
        ORDER BY service_id, similarity DESC, neighbour_id`,
    );
    const neighbours = new Map<string, { id: string; similarity: number }[]>();
    for (const r of rows) {
      const list = neighbours.get(r.serviceId);
      if (list) list.push({ id: r.neighbourId, similarity: r.similarity });
      else neighbours.set(r.serviceId, [{ id: r.neighbourId, similarity: r.similarity }]);
    }
    memos.lastNeighbours = { writtenBy, neighbours };
    return neighbours;
  });
}

/** Forgets cached state, for tests that change data behind the server's back. */
export function forgetCatalogueSnapshot(dataSource: DataSource): void {
  cache.delete(dataSource);
  demandMemos.delete(dataSource);
}
