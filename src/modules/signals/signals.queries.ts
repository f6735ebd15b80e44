import type { EntityManager } from 'typeorm';
import { arrayLiteral, cityDay, queryPrepared, queryRows } from '../../db/sql';
import { ADD_TO_DEMAND_ROLLUPS } from '../analytics/rollups.queries';
import { auditEventInsert } from '../audit/audit.queries';
import type { AgeBand } from '../citizens/age-band';
import { ADD_TO_MATCHING_AGGREGATES } from '../matching/aggregates.queries';
import { openCasesFrom } from '../requests/requests.queries';
import type { DeadlineDays } from '../requests/routing';
import type { SignalKind } from './signal-kind';
import { APPLIED_SIGNALS, ROLLUP_LOCK_KEY } from './signal-log';

/**
 * The SQL of the signal log's writes and of the rollup worker. The watermark's fragments and
 * its two shared statements (`lockDerivedTables`, `readWatermark`) are in `signal-log.ts`,
 * which the other modules' derived-table statements compose.
 */

/** A signal row as it is inserted (its age band already worked out). */
export interface SignalRow {
  citizenId: string;
  kind: SignalKind;
  serviceId: string | null;
  categoryId: string | null;
  districtCode: string;
  ageBand: AgeBand | null;
  text: string | null;
  rating: number | null;
  occurredAt: Date;
  clientEventId: string | null;
  matchedServiceId: string | null;
  matchScore: number | null;
  unmet: boolean | null;
  needCode: string | null;
}

/**
 * A signal's values after its citizen, in the order of the insert statements' columns
 * (kind … need_code): one array of each is unnested.
 */
const SIGNAL_COLUMNS: readonly ((s: Omit<SignalRow, 'citizenId'>) => string | number | boolean | null)[] = [
  (s) => s.kind,
  (s) => s.serviceId,
  (s) => s.categoryId,
  (s) => s.districtCode,
  (s) => s.ageBand,
  (s) => s.text,
  (s) => s.rating,
  (s) => s.occurredAt.toISOString(),
  (s) => s.clientEventId,
  (s) => s.matchedServiceId,
  (s) => s.matchScore,
  (s) => s.unmet,
  (s) => s.needCode,
];

const INSERTED_COLUMNS = `citizen_id, kind, service_id, category_id, district_code, age_band, text, rating, occurred_at,
  client_event_id, matched_service_id, match_score, unmet, need_code`;

/**
 * The client events of the rows `u` (with their ordinality `ord`) that this statement claims in
 * `signal_client_event`, as the CTE `claimed` (the first row of each event claimed): an event
 * stored before, or claimed by a concurrent statement (whose commit this one waits for), is not
 * claimed. The claim is what keeps a client event once in the log, whatever month it lands in.
 */
const claimEvents = (citizen: string) => `claims AS (
     INSERT INTO signal_client_event (citizen_id, client_event_id)
     SELECT ${citizen}, client_event_id FROM u WHERE client_event_id IS NOT NULL
     -- In key order: two batches sharing events wait for each other, never in a cycle.
     ORDER BY 1, 2
     ON CONFLICT DO NOTHING
     RETURNING citizen_id, client_event_id
   ), claimed AS (
     SELECT min(u.ord) AS ord FROM u JOIN claims USING (citizen_id, client_event_id) GROUP BY citizen_id, client_event_id
   )`;

/** Whether a row of `u` is stored: it has no client event, or it is the first row of a claimed one. */
const IS_FIRST_CLAIM = 'client_event_id IS NULL OR ord IN (SELECT ord FROM claimed)';

/**
 * Inserts signals in one statement, skipping any whose (citizen, clientEventId) is stored,
 * also by a concurrent batch. Returns how many were new and their ids, in id order.
 */
export async function insertSignalRows(
  db: EntityManager,
  rows: readonly SignalRow[],
): Promise<{ accepted: number; ids: string[] }> {
  const [{ accepted, ids }] = await queryPrepared<{ accepted: number; ids: string[] | null }>(
    db,
    `WITH u AS (
       SELECT * FROM unnest($1::uuid[], $2::signal_kind[], $3::uuid[], $4::uuid[], $5::varchar[], $6::age_band[],
                            $7::text[], $8::smallint[], $9::timestamptz[], $10::varchar[], $11::uuid[], $12::real[], $13::boolean[],
                            $14::varchar[]) WITH ORDINALITY
         AS u(${INSERTED_COLUMNS}, ord)
     ), ${claimEvents('u.citizen_id')}, inserted AS (
       INSERT INTO signal (${INSERTED_COLUMNS})
       SELECT ${INSERTED_COLUMNS} FROM u WHERE ${IS_FIRST_CLAIM} ORDER BY ord
       RETURNING id
     )
     SELECT count(*)::int AS accepted, array_agg(id::text ORDER BY id) AS ids FROM inserted`,
    [rows.map((s) => s.citizenId), ...SIGNAL_COLUMNS.map((pick) => rows.map(pick))],
  );
  return { accepted, ids: ids ?? [] };
}

/** A signal of one citizen's batch (recordSignals): the row without its citizen. */
export type BatchSignalRow = Omit<SignalRow, 'citizenId'>;

/** One citizen's batch of signals, with what its audit event says of it and how its cases are opened. */
export interface SignalBatch {
  citizenId: string;
  /**
   * The citizen's district and birth year as the rows were built from them (default district,
   * age bands, search verdicts): the batch is written only if the citizen's row still holds them.
   */
  citizenDistrictCode: string;
  citizenBirthYear: number | null;
  rows: readonly BatchSignalRow[];
  /** The caller's role, as the audit event names it. */
  actorRole: string;
  /** Signals received, by kind. */
  kinds: Record<string, number>;
  /** The department routing falls back to, by code. */
  defaultDepartmentCode: string;
  /** The cases' deadlines, in days after they open (deadlineDaysAround). */
  deadlineDays: readonly DeadlineDays[];
  /** What a department is told of a case routed to it. */
  routedNotice: { kind: string; message: string };
}

const INSERT_SIGNAL_BATCH = `WITH citizen_as_built AS (
     SELECT EXISTS (SELECT FROM citizen
                     WHERE id = $1::uuid AND district_code = $25 AND birth_year IS NOT DISTINCT FROM $26::smallint) AS held
   ), u AS (
     SELECT $1::uuid AS citizen_id, u.*
       FROM unnest($2::signal_kind[], $3::uuid[], $4::uuid[], $5::varchar[], $6::age_band[], $7::text[],
                   $8::smallint[], $9::timestamptz[], $10::varchar[], $11::uuid[], $12::real[],
                   $13::boolean[], $14::varchar[]) WITH ORDINALITY
         AS u(${INSERTED_COLUMNS.replace('citizen_id, ', '')}, ord)
      WHERE (SELECT held FROM citizen_as_built)
   ), ${claimEvents('$1::uuid')}, inserted AS (
     INSERT INTO signal (${INSERTED_COLUMNS})
     SELECT ${INSERTED_COLUMNS} FROM u WHERE ${IS_FIRST_CLAIM} ORDER BY ord
     RETURNING id, citizen_id, kind, unmet, received_at, service_id, category_id, district_code, matched_service_id
   ), accepted AS (SELECT count(*)::int AS n FROM inserted), audited AS (
     ${auditEventInsert({
       actorId: '$1::uuid',
       actorRole: '$15',
       action: "'signals.record'",
       targetType: "'citizen'",
       targetId: '$1::text',
       details: `jsonb_build_object('received', $16::int, 'accepted', (SELECT n FROM accepted),
                                    'duplicates', $16::int - (SELECT n FROM accepted), 'kinds', $17::jsonb)`,
       onlyIf: '(SELECT held FROM citizen_as_built)',
     })}
   ), ${openCasesFrom('inserted', {
     defaultDepartmentCode: '$18',
     deadlineDays: ['$19', '$20', '$21', '$22'],
     noticeKind: '$23',
     noticeMessage: '$24',
   })}
   SELECT (SELECT n FROM accepted) AS accepted, (SELECT held FROM citizen_as_built) AS "citizenHeld"`;

/**
 * Inserts one citizen's batch, its audit event (received, accepted, duplicates, kinds) and the
 * cases of its new REQUEST and COMPLAINT signals with their departments' notices
 * (`openCasesFrom`), in one statement, which commits or fails whole; a signal whose (citizen,
 * clientEventId) is stored is skipped, also when a concurrent batch is inserting it. Returns
 * how many were new, or `citizenHeld: false` when the citizen's row no longer holds the district
 * and birth year the batch was built from (or is gone): then nothing is written.
 */
export async function insertSignalBatch(
  db: EntityManager,
  batch: SignalBatch,
): Promise<{ accepted: number; citizenHeld: boolean }> {
  const { rows, deadlineDays } = batch;
  const [result] = await queryPrepared<{ accepted: number; citizenHeld: boolean }>(db, INSERT_SIGNAL_BATCH, [
    batch.citizenId,
    ...SIGNAL_COLUMNS.map((pick) => arrayLiteral(rows.map(pick))),
    batch.actorRole,
    rows.length,
    JSON.stringify(batch.kinds),
    batch.defaultDepartmentCode,
    deadlineDays.map((d) => d.categoryCode),
    deadlineDays.map((d) => d.day),
    deadlineDays.map((d) => d.acknowledgeDays),
    deadlineDays.map((d) => d.resolveDays),
    batch.routedNotice.kind,
    batch.routedNotice.message,
    batch.citizenDistrictCode,
    batch.citizenBirthYear,
  ]);
  return result;
}

// ---- the rollup worker

/** Statements of the worker start with this comment (lets statement counters tell them apart). */
export const WORKER_SQL_TAG = '/* rollup-worker */';

/** Waits for the worker's lock, until the end of the transaction (tagged as the worker's). */
export async function waitForWorkerLock(tx: EntityManager): Promise<void> {
  await tx.query(`${WORKER_SQL_TAG} SELECT pg_advisory_xact_lock($1)`, [ROLLUP_LOCK_KEY]);
}

/** Takes the worker's lock until the end of the transaction when no one holds it; false when someone does. */
export async function tryWorkerLock(tx: EntityManager): Promise<boolean> {
  const [{ locked }] = await queryRows<{ locked: boolean }>(
    tx,
    `${WORKER_SQL_TAG} SELECT pg_try_advisory_xact_lock($1) AS locked`,
    [ROLLUP_LOCK_KEY],
  );
  return locked;
}

/** The watermark and the server's transactions as a run sees them (transaction ids as text). */
export interface RunStart {
  /** The watermark: applied below this. */
  from: string;
  /** Transactions left pending by the last run. */
  pending: string[];
  /** The run's snapshot (pg_snapshot as text). */
  snapshot: string;
  /** The snapshot's xmax: every transaction below it had started. */
  xmax: string;
  /** Transactions still running in the snapshot. */
  running: string[];
}

/** The watermark with the current snapshot; read before the transaction writes anything (it has no xid yet). */
export async function readRunStart(tx: EntityManager): Promise<RunStart> {
  const [run] = await queryRows<RunStart>(
    tx,
    `${WORKER_SQL_TAG}
     SELECT w.applied_below::text AS from, w.pending_xids::text[] AS pending, snap::text AS snapshot,
            pg_snapshot_xmax(snap)::text AS xmax, ARRAY(SELECT pg_snapshot_xip(snap))::text[] AS running
       FROM signal_rollup_watermark w, pg_current_snapshot() AS snap`,
  );
  return run;
}

/**
 * Of the signals of transactions ended in the run's snapshot: the transaction of the
 * `chunk`-th past the watermark (null when there are fewer), and whether any is due (past the
 * watermark or of a pending transaction).
 */
export async function pendingChunk(
  tx: EntityManager,
  run: Pick<RunStart, 'from' | 'snapshot' | 'pending'>,
  chunk: number,
): Promise<{ chunkEnd: string | null; due: boolean }> {
  const [row] = await queryRows<{ chunkEnd: string | null; due: boolean }>(
    tx,
    `${WORKER_SQL_TAG}
     SELECT (SELECT writer_xid::text FROM signal
              WHERE writer_xid >= $1::xid8 AND pg_visible_in_snapshot(writer_xid, $2::pg_snapshot)
              ORDER BY writer_xid OFFSET $3 LIMIT 1) AS "chunkEnd",
            EXISTS (SELECT 1 FROM signal
                     WHERE (writer_xid >= $1::xid8 OR writer_xid = ANY ($4::xid8[]))
                       AND pg_visible_in_snapshot(writer_xid, $2::pg_snapshot)) AS due`,
    [run.from, run.snapshot, chunk, run.pending],
  );
  return row;
}

/**
 * The signals (and their columns as the derived-table statements read them) that a run applies
 * as the `inserted` CTE: those of the transactions left pending by the last run ($2) and those
 * from the watermark ($1) up to and including transaction $3, of transactions that had ended
 * in the run's snapshot $4 (a transaction still running there is left for the next run).
 */
const SIGNALS_OF_TRANSACTIONS = `SELECT id, citizen_id, service_id, category_id, kind, rating, age_band, district_code, occurred_at
    FROM signal
   WHERE (writer_xid = ANY ($2::xid8[]) OR (writer_xid >= $1::xid8 AND writer_xid <= $3::xid8))
     AND pg_visible_in_snapshot(writer_xid, $4::pg_snapshot)`;

/**
 * The statement parts that add the signals of the `inserted` CTE to the per-service daily
 * activity: `service_activity_citizen` holds one row per (service, city day, kind, citizen),
 * inserted with ON CONFLICT DO NOTHING, so that its RETURNING rows are exactly the citizens new
 * to a key; `service_activity_daily` adds the signals to `count` and those new citizens to
 * `citizens`. `citizens` is what the catalogue, the service stats, the rankings' recent demand
 * and the reports read: one account counts once per service, day and kind however many
 * signals it sends (docs/analytics.md, "One account, one count a day"). Order-independent, so
 * the worker's runs and a rebuild agree exactly. The membership insert finishes before the
 * upsert starts, and both sort their keys: concurrent runs cannot deadlock.
 */
const ADD_TO_SERVICE_ACTIVITY = `activity_keys AS (
    SELECT service_id, ${cityDay('occurred_at')} AS day, kind, citizen_id FROM inserted WHERE service_id IS NOT NULL
  ), activity_members AS (
    INSERT INTO service_activity_citizen (service_id, day, kind, citizen_id)
    SELECT service_id, day, kind, citizen_id FROM activity_keys GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING
    RETURNING service_id, day, kind
  ), activity AS (
    INSERT INTO service_activity_daily AS t (service_id, day, kind, count, citizens)
    SELECT k.service_id, k.day, k.kind, k.count, coalesce(m.citizens, 0)
      FROM (SELECT service_id, day, kind, count(*)::int AS count FROM activity_keys GROUP BY 1, 2, 3) k
      LEFT JOIN (SELECT service_id, day, kind, count(*)::int AS citizens FROM activity_members GROUP BY 1, 2, 3) m
        USING (service_id, day, kind)
     ORDER BY 1, 2, 3
    ON CONFLICT (service_id, day, kind) DO UPDATE SET count = t.count + EXCLUDED.count, citizens = t.citizens + EXCLUDED.citizens
  )`;

const APPLY_SIGNALS = `${WORKER_SQL_TAG}
  WITH inserted AS MATERIALIZED (${SIGNALS_OF_TRANSACTIONS} ORDER BY id), ${ADD_TO_SERVICE_ACTIVITY},
  ${ADD_TO_MATCHING_AGGREGATES},
  ${ADD_TO_DEMAND_ROLLUPS}
  SELECT count(*)::int AS applied FROM inserted`;

/**
 * Adds the signals of the pending transactions and of those from the watermark through
 * `through`, ended in the run's snapshot, to every derived table; returns how many.
 */
export async function applySignals(
  tx: EntityManager,
  run: Pick<RunStart, 'from' | 'snapshot' | 'pending'>,
  through: string,
): Promise<number> {
  const [{ applied }] = await queryRows<{ applied: number }>(tx, APPLY_SIGNALS, [
    run.from,
    run.pending,
    through,
    run.snapshot,
  ]);
  return applied;
}

/**
 * How long ago (ms) the newest signal was received, and the oldest one past the watermark, and
 * how many are past it, counted up to `countUpTo`; null when none is past it. Lookups in the
 * writer_xid index (at most `countUpTo` entries read for the count).
 */
export async function pendingSignalAges(
  db: EntityManager,
  countUpTo = 0,
): Promise<{ newestMs: number; oldestMs: number; pending: number } | null> {
  const [row] = await queryPrepared<{ newestMs: number; oldestMs: number; pending: number }>(
    db,
    `${WORKER_SQL_TAG}
     SELECT extract(epoch FROM clock_timestamp() - newest.received_at)::float8 * 1000 AS "newestMs",
            extract(epoch FROM clock_timestamp() - oldest.received_at)::float8 * 1000 AS "oldestMs",
            -- In writer_xid order, so that the count reads the index: unordered, it was planned as a scan
            -- of the month's partition from its start, which reaches the few pending rows last.
            (SELECT count(*) FROM (SELECT 1 FROM signal WHERE writer_xid >= w.applied_below ORDER BY writer_xid LIMIT $1)
               counted)::int AS "pending"
       FROM signal_rollup_watermark w,
            LATERAL (SELECT received_at FROM signal WHERE writer_xid >= w.applied_below ORDER BY writer_xid LIMIT 1) oldest,
            LATERAL (SELECT received_at FROM signal WHERE writer_xid IS NOT NULL ORDER BY writer_xid DESC LIMIT 1) newest`,
    [countUpTo],
  );
  return row ?? null;
}

/** Moves the watermark and counts the rows applied. */
export async function advanceWatermark(
  tx: EntityManager,
  next: { appliedBelow: string; pendingXids: string[] },
  applied: number,
): Promise<void> {
  await tx.query(
    `${WORKER_SQL_TAG} UPDATE signal_rollup_watermark
        SET applied_below = $1::xid8, pending_xids = $2::xid8[], applied_rows = applied_rows + $3, applied_at = now()`,
    [next.appliedBelow, next.pendingXids, applied],
  );
}

/**
 * Moves the watermark past every transaction ended in the current snapshot and this
 * transaction's own (its signals commit with it); those still running become pending.
 */
export async function watermarkToSnapshot(tx: EntityManager): Promise<void> {
  await tx.query(`UPDATE signal_rollup_watermark
                       SET applied_below = greatest(applied_below, pg_snapshot_xmax(snap), own.next),
                           pending_xids = ARRAY(SELECT x FROM pg_snapshot_xip(snap) AS x
                                                 WHERE x IS DISTINCT FROM own.xid ORDER BY x),
                           applied_at = now()
                      FROM pg_current_snapshot() AS snap,
                           (SELECT pg_current_xact_id_if_assigned() AS xid,
                                   (pg_current_xact_id_if_assigned()::text::numeric + 1)::text::xid8 AS next) AS own`);
}

// ---- service activity

/** Empties service_activity_daily and its memberships. */
export async function deleteServiceActivity(tx: EntityManager): Promise<void> {
  await tx.query('DELETE FROM service_activity_citizen');
  await tx.query('DELETE FROM service_activity_daily');
}

/**
 * Counts the signals below the watermark into service_activity_citizen and
 * service_activity_daily (emptied first), as the worker adds them: the first statement returns
 * the rows of the daily table. Also the migration that introduced the memberships.
 */
export const REFILL_SERVICE_ACTIVITY = [
  `INSERT INTO service_activity_citizen (service_id, day, kind, citizen_id)
   SELECT DISTINCT service_id, ${cityDay('occurred_at')}, kind, citizen_id FROM ${APPLIED_SIGNALS}
    WHERE service_id IS NOT NULL`,
  `WITH inserted AS (
     INSERT INTO service_activity_daily (service_id, day, kind, count, citizens)
     SELECT service_id, ${cityDay('occurred_at')}, kind, count(*), count(DISTINCT citizen_id) FROM ${APPLIED_SIGNALS}
      WHERE service_id IS NOT NULL GROUP BY 1, 2, 3
     RETURNING 1
   )
   SELECT count(*)::int AS written FROM inserted`,
] as const;

/** Counts the signals below the watermark into service_activity_daily and its memberships (emptied first); returns the daily rows written. */
export async function insertServiceActivityOfAppliedSignals(tx: EntityManager): Promise<number> {
  await tx.query(REFILL_SERVICE_ACTIVITY[0]);
  const [{ written }] = await queryRows<{ written: number }>(tx, REFILL_SERVICE_ACTIVITY[1]);
  return written;
}
