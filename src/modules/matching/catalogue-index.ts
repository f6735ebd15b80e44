import { BoundedMemo } from '../../lib/memos';
import type { CatalogueSnapshot, SnapshotService } from '../catalogue/catalogue-snapshot';
import { NeedRecogniser, servicePhrasesOf } from '../needs/need-recognition';
import { seededNeedsModel } from '../needs/needs-data';
import {
  eligibilityBoundaries,
  requiredTagBits,
  type EligibilityBoundaries,
  type RequiredTagBits,
} from './eligibility';
import { RequestUnderstander } from './request-understanding';
import { slotsOf, type CatalogueSlots } from './scoring';
import { TextMatchMemo } from './text-match-memo';
import { TextMatcher } from './text-matcher';

/** What matching derives from one catalogue snapshot: its text matcher, eligibility split, slots and memos. */
export interface CatalogueIndex {
  matcher: TextMatcher;
  /** Request understanding (needs blended with the matcher), built on first use and kept with the index. */
  understander(): RequestUnderstander;
  /** Services open to everyone, and those with an age, tag or district rule. */
  unrestricted: readonly SnapshotService[];
  restricted: readonly SnapshotService[];
  /** The catalogue's age limits, which tell citizens apart for eligibility (see eligibilityKey). */
  eligibility: EligibilityBoundaries;
  /** The catalogue's required tags as bits (undefined past 32 of them). */
  requiredTags: RequiredTagBits | undefined;
  /** Each service's place in this catalogue (the order of `services`). */
  slots: CatalogueSlots;
  /** Memos of results that depend only on the catalogue and their key (bounded). */
  requestMatches: TextMatchMemo;
  eligibleServices: BoundedMemo;
}

/** Memo sizes: a request text's matches take about 160 bytes, an eligible list about 8 KB. */
const REQUEST_MATCH_ENTRIES = 100_000;
export const ELIGIBLE_LIST_ENTRIES = 2_000;
/** Matches kept per request text: what a ranking's TEXT_MATCH component reads of each. */
export const MATCHES_PER_REQUEST = 20;

const indexes = new WeakMap<CatalogueSnapshot, CatalogueIndex>();

/** The index of a catalogue snapshot, built once per snapshot (on first use) and kept as long as the snapshot. */
export function catalogueIndexOf(snapshot: CatalogueSnapshot): CatalogueIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = buildIndex([...snapshot.services.values()]);
    indexes.set(snapshot, index);
  }
  return index;
}

function buildIndex(all: SnapshotService[]): CatalogueIndex {
  const slots = slotsOf(
    all.map(({ id, categoryId, parentCategoryId }, slot) => ({ id, categoryId, parentCategoryId, slot })),
  );
  const isOpen = (s: SnapshotService) =>
    s.minAge === null && s.maxAge === null && s.requiredTags.length === 0 && s.districtCodes.length === 0;
  const matcher = new TextMatcher(all);
  let understander: RequestUnderstander | undefined;
  return {
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
    requiredTags: requiredTagBits(all),
    slots,
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
