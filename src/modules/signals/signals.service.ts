import { LRUCache } from 'lru-cache';
import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Context } from '../../core/context';
import { BadInputError, NotFoundError, type FieldError } from '../../core/errors';
import { MAX_BATCH_SEARCH_CHARACTERS, MAX_SEARCH_UNDERSTOOD, MAX_SIGNAL_BATCH } from '../../core/limits';
import { BoundedMemo } from '../../lib/memos';
import { leadingPart } from '../../text';
import { throwIfAny } from '../../core/validation';
import { Category } from '../categories/category.entity';
import { ageBandOf } from '../citizens/age-band';
import { catalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from '../matching/catalogue-index';
import { type RequestUnderstander, signalVerdict, type SignalVerdict } from '../matching/request-understanding';
import { nudgeRollupWorker } from './rollup-worker';
import { requireOwnCitizen } from '../citizens/citizens.service';
import type { SignalInput } from './signal.inputs';
import { SignalKind } from './signal-kind';
import { signalRuleErrors } from './signal-rules';
import { signalInputErrors } from './signal-input-check';
import { DEFAULT_DEPARTMENT_CODE, openCasesForSignals, ROUTED_NOTICE } from '../requests/case-opener';
import { deadlineDaysAround } from '../requests/routing';
import { requireRole } from '../../core/context';
import { signalsPolicy } from './signals.policy';
import { insertSignalBatch, insertSignalRows, type BatchSignalRow } from './signals.queries';

export interface NewSignal {
  citizenId: string;
  kind: SignalKind;
  serviceId: string | null;
  categoryId: string | null;
  districtCode: string;
  /** The citizen's, to file the signal under the age band they were in when it happened. */
  birthYear: number | null;
  text: string | null;
  rating: number | null;
  occurredAt: Date;
  clientEventId: string | null;
  /** For REQUEST signals: the best match when the request was made, and whether it fell short. */
  matchedServiceId?: string | null;
  matchScore?: number | null;
  unmet?: boolean | null;
  /** For REQUEST and SEARCH signals: the need recognised in the text. */
  needCode?: string | null;
}

/**
 * Inserts signals in one statement. A signal whose (citizen, clientEventId) is already stored
 * is skipped, also when a concurrent batch is inserting it. Returns how many were new. The
 * derived tables (demand rollups, service activity, matching aggregates) are the rollup
 * worker's (`rollup-worker.ts`): it is nudged here and adds these signals once they commit;
 * exact reads add what it has not yet applied.
 */
export async function insertSignals(
  db: EntityManager,
  signals: NewSignal[],
): Promise<{ accepted: number; ids: string[] }> {
  if (signals.length === 0) return { accepted: 0, ids: [] };
  const { accepted, ids } = await insertSignalRows(
    db,
    signals.map((s) => ({
      citizenId: s.citizenId,
      kind: s.kind,
      serviceId: s.serviceId,
      categoryId: s.categoryId,
      districtCode: s.districtCode,
      ageBand: ageBandOf(s.birthYear, s.occurredAt),
      text: s.text,
      rating: s.rating,
      occurredAt: s.occurredAt,
      clientEventId: s.clientEventId,
      matchedServiceId: s.matchedServiceId ?? null,
      matchScore: s.matchScore ?? null,
      unmet: s.unmet ?? null,
      needCode: s.needCode ?? null,
    })),
  );
  if (signals.some((s) => s.kind === 'REQUEST' || s.kind === 'COMPLAINT')) await openCasesForSignals(db, ids);
  if (accepted > 0) nudgeRollupWorker(db.connection);
  return { accepted, ids };
}

/**
 * Verdicts on search texts per understander (one per published catalogue), by district and
 * text: people search the same few words, and understanding a text is most of a signal
 * batch's CPU. Emptied when full.
 */
const searchVerdicts = new WeakMap<RequestUnderstander, BoundedMemo>();
/** At most 20,000 texts, of 2,000,000 characters together (about 4 MB): citizens write the keys. */
const SEARCH_VERDICTS = 20_000;
const SEARCH_VERDICT_CHARACTERS = 2_000_000;

/** The part of a search's text its verdict reads: its first MAX_SEARCH_UNDERSTOOD characters, no half pair. */
export function understoodSearch(text: string): string {
  return leadingPart(text, MAX_SEARCH_UNDERSTOOD);
}

/**
 * Refuses a batch whose different searches would take more than MAX_BATCH_SEARCH_CHARACTERS
 * of understanding (a repeated search is understood once).
 */
function checkSearchBudget(inputs: readonly SignalInput[]): void {
  const searches = new Set<string>();
  let characters = 0;
  for (const input of inputs) {
    if (input.kind !== SignalKind.SEARCH || !input.text) continue;
    const understood = understoodSearch(input.text);
    if (searches.has(understood)) continue;
    searches.add(understood);
    characters += understood.length;
  }
  if (characters > MAX_BATCH_SEARCH_CHARACTERS) {
    throw BadInputError.field(
      'signals',
      'searchCharacters',
      `the different searches of one batch may hold at most ${MAX_BATCH_SEARCH_CHARACTERS} characters together ` +
        `(the first ${MAX_SEARCH_UNDERSTOOD} of each): send them in several batches`,
    );
  }
}

function searchVerdict(understander: RequestUnderstander, text: string, districtCode: string): SignalVerdict {
  let verdicts = searchVerdicts.get(understander);
  if (!verdicts)
    searchVerdicts.set(understander, (verdicts = new BoundedMemo(SEARCH_VERDICTS, SEARCH_VERDICT_CHARACTERS)));
  return verdicts.get(`${districtCode}\u0000${text}`, () =>
    signalVerdict(understander.understand(text, { districtCode, limit: 1 })),
  );
}

/**
 * The services the signals name, by lower-case id: published ones from the in-memory
 * catalogue, others (retired ones) from the database; unknown ids are absent.
 */
async function servicesOfSignals(
  ctx: Context,
  snapshot: Awaited<ReturnType<typeof catalogueSnapshot>>,
  inputs: SignalInput[],
): Promise<Map<string, { id: string; categoryId: string }>> {
  const serviceById = new Map<string, { id: string; categoryId: string }>();
  const others = new Set<string>();
  for (const input of inputs) {
    if (!input.serviceId) continue;
    const id = input.serviceId.toLowerCase();
    const published = snapshot.services.get(id);
    if (published) serviceById.set(id, published);
    else others.add(id);
  }
  for (const service of others.size ? await ctx.loaders.service.loadMany([...others]) : []) {
    if (service) serviceById.set(service.id, service);
  }
  return serviceById;
}

/** What a batch takes from its citizen's row: the default district and the birth year (age bands). */
interface CitizenFacts {
  id: string;
  districtCode: string;
  birthYear: number | null;
}

/**
 * The facts of citizens who sent signals to this process, by data source and id, so that a
 * batch costs one statement and not two: the insert checks them against the citizen's row
 * (`insertSignalBatch`) and writes nothing when they no longer hold. At most 50,000 citizens
 * (about 10 MB); the least recently seen is forgotten first.
 */
const citizenFactsOf = new WeakMap<DataSource, LRUCache<string, CitizenFacts>>();
/** Times a batch is built and sent while its citizen's profile keeps changing under it. */
const MAX_BATCH_ATTEMPTS = 5;

/** This process's kept facts for the database. */
function keptCitizenFacts(ctx: Context): LRUCache<string, CitizenFacts> {
  let kept = citizenFactsOf.get(ctx.dataSource);
  if (!kept) citizenFactsOf.set(ctx.dataSource, (kept = new LRUCache({ max: 50_000 })));
  return kept;
}

function knownCitizenFacts(ctx: Context, id: string): CitizenFacts | undefined {
  return keptCitizenFacts(ctx).get(id);
}

/** The caller's citizen row, read (NotFoundError without a profile), its facts then kept. */
async function readCitizenFacts(ctx: Context): Promise<CitizenFacts> {
  const citizen = await requireOwnCitizen(ctx);
  const facts = { id: citizen.id, districtCode: citizen.districtCode, birthYear: citizen.birthYear };
  keptCitizenFacts(ctx).set(facts.id, facts);
  return facts;
}

/**
 * Validates a whole batch first; then writes all of it in one statement, or nothing. The
 * citizen's row is read on the first batch this process gets from them; later batches are
 * built from what it held then and written only if it still holds it (else it is read again
 * and the batch built anew).
 */
export async function recordSignals(
  ctx: Context,
  inputs: SignalInput[],
): Promise<{ accepted: number; duplicates: number }> {
  const user = requireRole(ctx, ...signalsPolicy.recordSignals);
  if (inputs.length > MAX_SIGNAL_BATCH) {
    throw BadInputError.field('signals', 'arrayMaxSize', `at most ${MAX_SIGNAL_BATCH} signals per call`);
  }
  let citizen = knownCitizenFacts(ctx, user.id) ?? (await readCitizenFacts(ctx));
  const now = new Date();
  const errors: FieldError[] = [];
  for (let index = 0; index < inputs.length; index += 1) {
    const path = `signals[${index}]`;
    errors.push(...signalInputErrors(inputs[index], path), ...signalRuleErrors(inputs[index], path, now));
  }
  throwIfAny(errors, 'Some signals are not valid');
  checkSearchBudget(inputs);

  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const serviceById = await servicesOfSignals(ctx, snapshot, inputs);
  const categoryCodes = [...new Set(inputs.flatMap((s) => (s.categoryCode ? [s.categoryCode] : [])))];
  const categories = categoryCodes.length ? await ctx.db.findBy(Category, { code: In(categoryCodes) }) : [];
  const categoryIdByCode = new Map(categories.map((c) => [c.code, c.id]));
  const districtCodes = [...new Set(inputs.flatMap((s) => (s.districtCode ? [s.districtCode] : [])))];
  const districts = await ctx.loaders.district.loadMany(districtCodes);
  const knownDistricts = new Set(districts.flatMap((d) => (d ? [d.code] : [])));
  const references = { snapshot, serviceById, categoryIdByCode, knownDistricts };

  for (let attempt = 1; ; attempt += 1) {
    const { rows, kinds } = batchRows(inputs, citizen, now, references);
    // One statement (atomic on its own, no transaction): the signals, the batch's audit event
    // (what it received, by kind, also when every signal in it was a duplicate), and the cases
    // of its new requests and complaints with their departments' notices, their deadlines from
    // the table of the city dates around now (only read when the batch has a request or complaint).
    const opensCases = kinds[SignalKind.REQUEST] !== undefined || kinds[SignalKind.COMPLAINT] !== undefined;
    const { accepted, citizenHeld } = await insertSignalBatch(ctx.db, {
      citizenId: citizen.id,
      citizenDistrictCode: citizen.districtCode,
      citizenBirthYear: citizen.birthYear,
      rows,
      actorRole: user.role,
      kinds,
      defaultDepartmentCode: DEFAULT_DEPARTMENT_CODE,
      deadlineDays: opensCases ? deadlineDaysAround(now) : [],
      routedNotice: ROUTED_NOTICE,
    });
    if (citizenHeld) {
      if (accepted > 0) nudgeRollupWorker(ctx.dataSource);
      return { accepted, duplicates: rows.length - accepted };
    }
    // The profile changed (or is gone) since its facts were kept: nothing was written. Read
    // again, it can only have changed again meanwhile (a few times at most).
    if (attempt === MAX_BATCH_ATTEMPTS) throw new Error(`the citizen's profile kept changing: ${user.id}`);
    ctx.loaders.citizen.clear(user.id);
    citizen = await readCitizenFacts(ctx);
  }
}

/** What a batch's rows are checked against: the catalogue snapshot and the references the batch names. */
interface BatchReferences {
  snapshot: Awaited<ReturnType<typeof catalogueSnapshot>>;
  serviceById: Map<string, { id: string; categoryId: string }>;
  categoryIdByCode: Map<string, string>;
  knownDistricts: Set<string>;
}

/** The rows of a validated batch for its citizen, and how many signals of each kind it holds. */
function batchRows(
  inputs: readonly SignalInput[],
  citizen: CitizenFacts,
  now: Date,
  { snapshot, serviceById, categoryIdByCode, knownDistricts }: BatchReferences,
): { rows: BatchSignalRow[]; kinds: Record<string, number> } {
  // Rows built field by field: spreading objects costs more than the rest of a signal's work here.
  const kinds: Record<string, number> = {};
  const rows = new Array<BatchSignalRow>(inputs.length);
  for (let index = 0; index < inputs.length; index += 1) {
    const input = inputs[index];
    const service = input.serviceId ? serviceById.get(input.serviceId.toLowerCase()) : undefined;
    if (input.serviceId && !service) {
      throw new NotFoundError('Service', input.serviceId, `signals[${index}].serviceId`);
    }
    if (input.categoryCode != null && !categoryIdByCode.has(input.categoryCode)) {
      throw new NotFoundError('Category', input.categoryCode, `signals[${index}].categoryCode`);
    }
    if (input.districtCode != null && !knownDistricts.has(input.districtCode)) {
      throw new NotFoundError('District', input.districtCode, `signals[${index}].districtCode`);
    }
    const districtCode = input.districtCode ?? citizen.districtCode;
    // A search's query is understood as a request is: one that nothing meets is unmet demand too.
    const searched =
      input.kind === SignalKind.SEARCH && input.text
        ? searchVerdict(catalogueIndexOf(snapshot).understander(), understoodSearch(input.text), districtCode)
        : null;
    const occurredAt = input.occurredAt ?? now;
    rows[index] = {
      kind: input.kind,
      serviceId: service?.id ?? null,
      categoryId: service?.categoryId ?? (input.categoryCode ? categoryIdByCode.get(input.categoryCode)! : null),
      districtCode,
      ageBand: ageBandOf(citizen.birthYear, occurredAt),
      text: input.text ?? null,
      rating: input.rating ?? null,
      occurredAt,
      clientEventId: input.clientEventId ?? null,
      matchedServiceId: searched?.matchedServiceId ?? null,
      matchScore: searched?.matchScore ?? null,
      unmet: searched?.unmet ?? null,
      needCode: searched?.needCode ?? null,
    };
    kinds[input.kind] = (kinds[input.kind] ?? 0) + 1;
  }
  return { rows, kinds };
}
