import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeText } from '../../text/normalize';

/** Whom a need serves: the fixed vocabulary of seeds/needs/audiences.json. */
export const AUDIENCE_CODES = [
  'self',
  'child',
  'older-person',
  'family',
  'disabled-person',
  'deceased',
  'business',
  'community',
  'property',
  'vehicle',
  'farm',
  'pet',
] as const;
export type AudienceCode = (typeof AUDIENCE_CODES)[number];
/** People, organisations, things and animals: a need of one kind is never met by a service for another. */
export type AudienceKind = 'PERSON' | 'ORGANISATION' | 'THING' | 'ANIMAL';

export interface Audience {
  code: AudienceCode;
  name: string;
  nameZhHant: string;
  nameEn: string;
  kind: AudienceKind;
}

export interface LifeEvent {
  code: string;
  name: string;
  nameZhHant: string;
  nameEn: string;
  summary: string;
}

export interface Need {
  code: string;
  name: string;
  nameZhHant: string;
  nameEn: string;
  audiences: AudienceCode[];
  lifeEvents: string[];
  /** Catalogue codes of the services that meet the need; empty for a need the city does not meet. */
  services: string[];
  /** Department codes responsible for the need (the lead departments of its services, or of the gap). */
  departments: string[];
  /** Phrases citizens use when they have this need, as written (either script, any case). */
  triggers: string[];
  /** Triggers that other needs list too, on purpose. */
  sharedTriggers?: string[];
}

export interface NeedsData {
  audiences: Audience[];
  lifeEvents: LifeEvent[];
  needs: Need[];
}

export class NeedsDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`needs data is inconsistent: ${problems.join('; ')}`);
    this.name = 'NeedsDataError';
  }
}

/** What settles one life event: its needs, each with its published services, and the departments involved. */
export interface LifeEventBundle {
  lifeEvent: LifeEvent;
  needs: { need: Need; services: string[] }[];
  /** Every published service of the bundle, once, in the order of the needs. */
  services: string[];
  /** Departments responsible for the bundle's needs, met or not, once each. */
  departments: string[];
}

export interface NeedsModel {
  readonly audiences: ReadonlyMap<AudienceCode, Audience>;
  readonly lifeEvents: readonly LifeEvent[];
  readonly needs: readonly Need[];
  need(code: string): Need | undefined;
  lifeEvent(code: string): LifeEvent | undefined;
  needsOfLifeEvent(code: string): readonly Need[];
  needsOfService(serviceCode: string): readonly Need[];
  /** Needs listing a trigger phrase, looked up by its normalised form (so either script matches). */
  needsOfTrigger(phrase: string): readonly Need[];
  /** Every trigger phrase, normalised, with the needs that list it. */
  readonly triggerIndex: ReadonlyMap<string, readonly Need[]>;
  /** The kinds of subject a need is about (PERSON, ANIMAL …). */
  audienceKinds(need: Need): ReadonlySet<AudienceKind>;
  /**
   * Whom a service is for: the audiences of the needs it meets (empty for a service no need
   * lists). A request about a pet must not be answered by a service none of whose needs is a pet's.
   */
  serviceAudiences(serviceCode: string): ReadonlySet<AudienceCode>;
  /** The need's services that are published now; the seed lists them all, the catalogue may have retired some. */
  publishedServices(need: Need, published: ReadonlySet<string>): string[];
  /** Needs no published service meets: the gaps planners should see. */
  unmetNeeds(published: ReadonlySet<string>): Need[];
  /** The services across departments that together settle a life event ("一件事一次办"). */
  lifeEventBundle(code: string, published: ReadonlySet<string>): LifeEventBundle | undefined;
}

const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
};

/** The needs data indexed by code, life event, service and normalised trigger. */
interface NeedsIndex {
  audiences: Map<AudienceCode, Audience>;
  lifeEvents: Map<string, LifeEvent>;
  needs: Map<string, Need>;
  byEvent: Map<string, Need[]>;
  byService: Map<string, Need[]>;
  byTrigger: Map<string, Need[]>;
}

/** Indexes the needs data, or throws NeedsDataError with every reference it does not define. */
function indexNeedsData(data: NeedsData, serviceCodes?: ReadonlySet<string>): NeedsIndex {
  const problems: string[] = [];
  const audiences = new Map<AudienceCode, Audience>();
  for (const a of data.audiences) {
    if (!(AUDIENCE_CODES as readonly string[]).includes(a.code)) problems.push(`unknown audience ${a.code}`);
    audiences.set(a.code, a);
  }
  const lifeEvents = new Map<string, LifeEvent>();
  for (const e of data.lifeEvents) {
    if (lifeEvents.has(e.code)) problems.push(`life event ${e.code} defined twice`);
    lifeEvents.set(e.code, e);
  }
  const index: NeedsIndex = {
    audiences,
    lifeEvents,
    needs: new Map(),
    byEvent: new Map(),
    byService: new Map(),
    byTrigger: new Map(),
  };
  for (const n of data.needs) {
    if (index.needs.has(n.code)) problems.push(`need ${n.code} defined twice`);
    index.needs.set(n.code, n);
    for (const a of n.audiences) if (!audiences.has(a)) problems.push(`need ${n.code}: unknown audience ${a}`);
    for (const e of n.lifeEvents) {
      if (!lifeEvents.has(e)) problems.push(`need ${n.code}: unknown life event ${e}`);
      pushTo(index.byEvent, e, n);
    }
    for (const s of n.services) {
      if (serviceCodes && !serviceCodes.has(s)) problems.push(`need ${n.code}: unknown service ${s}`);
      pushTo(index.byService, s, n);
    }
    for (const t of n.triggers) pushTo(index.byTrigger, normalizeText(t), n);
  }
  if (problems.length > 0) throw new NeedsDataError(problems);
  return index;
}

/** Whom each service is for: the audiences of the needs it meets. */
function audiencesOfServices(needs: readonly Need[]): Map<string, Set<AudienceCode>> {
  const audiencesOfService = new Map<string, Set<AudienceCode>>();
  for (const n of needs) {
    for (const s of n.services) {
      const set = audiencesOfService.get(s) ?? new Set<AudienceCode>();
      for (const a of n.audiences) set.add(a);
      audiencesOfService.set(s, set);
    }
  }
  return audiencesOfService;
}

const publishedServicesOf = (need: Need, published: ReadonlySet<string>) =>
  need.services.filter((code) => published.has(code));

/** What settles a life event, from its needs' published services. */
function lifeEventBundleOf(
  lifeEvent: LifeEvent,
  needs: readonly Need[],
  published: ReadonlySet<string>,
): LifeEventBundle {
  const needsOfEvent = needs.map((need) => ({ need, services: publishedServicesOf(need, published) }));
  return {
    lifeEvent,
    needs: needsOfEvent,
    services: [...new Set(needsOfEvent.flatMap((n) => n.services))],
    departments: [...new Set(needsOfEvent.flatMap((n) => n.need.departments))],
  };
}

/**
 * Indexes the needs data. Throws NeedsDataError when it refers to what it does not define (an
 * audience, a life event) or repeats a code; with `serviceCodes`, also when a need names a
 * service the catalogue does not have. Field-by-field validation is seeds/needs/check.mjs's.
 */
export function buildNeedsModel(data: NeedsData, serviceCodes?: ReadonlySet<string>): NeedsModel {
  const { audiences, lifeEvents, needs, byEvent, byService, byTrigger } = indexNeedsData(data, serviceCodes);
  const none: readonly Need[] = [];
  const kinds = new Map<string, ReadonlySet<AudienceKind>>();
  const audienceKinds = (need: Need) => {
    let set = kinds.get(need.code);
    if (!set) {
      set = new Set(need.audiences.map((a) => audiences.get(a)!.kind));
      kinds.set(need.code, set);
    }
    return set;
  };
  const audiencesOfService = audiencesOfServices(data.needs);
  return {
    audiences,
    lifeEvents: data.lifeEvents,
    needs: data.needs,
    need: (code) => needs.get(code),
    lifeEvent: (code) => lifeEvents.get(code),
    needsOfLifeEvent: (code) => byEvent.get(code) ?? none,
    needsOfService: (code) => byService.get(code) ?? none,
    needsOfTrigger: (phrase) => byTrigger.get(normalizeText(phrase)) ?? none,
    triggerIndex: byTrigger,
    audienceKinds,
    serviceAudiences: (code) => audiencesOfService.get(code) ?? new Set(),
    publishedServices: publishedServicesOf,
    unmetNeeds: (published) => data.needs.filter((n) => publishedServicesOf(n, published).length === 0),
    lifeEventBundle: (code, published) => {
      const lifeEvent = lifeEvents.get(code);
      return lifeEvent ? lifeEventBundleOf(lifeEvent, byEvent.get(code) ?? [], published) : undefined;
    },
  };
}

/** seeds/needs, from the sources or from the build output. */
export function needsDataDir(): string {
  const candidates = [
    path.join(__dirname, '..', '..', '..', 'seeds', 'needs'),
    path.join(__dirname, '..', '..', '..', '..', 'seeds', 'needs'),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'needs.json')));
  if (!found) throw new Error(`seeds/needs not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function readNeedsData(dir: string = needsDataDir()): NeedsData {
  const read = <T>(name: string): T => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as T;
  return { audiences: read('audiences'), lifeEvents: read('life-events'), needs: read('needs') };
}

let seeded: NeedsModel | undefined;
/** The model of seeds/needs, read and indexed once per process. */
export function seededNeedsModel(): NeedsModel {
  seeded ??= buildNeedsModel(readNeedsData());
  return seeded;
}
