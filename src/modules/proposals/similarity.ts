import { withoutDistrictNames } from '../../text/districts';
import { tokenize } from '../../text';
import { fieldWeightedWords } from '../matching/text-matcher';

/** What the similarity check reads of a service or a proposal. */
export interface ComparableService {
  id: string;
  title: string;
  titleEn: string | null;
  tags: readonly string[];
  summary: string;
  description: string | null;
  categoryId: string;
  /** The category's parent; services under one parent are siblings. */
  parentCategoryId: string | null;
}

export interface Similarity {
  serviceId: string;
  /** 0 to 1. */
  similarity: number;
}

/**
 * Shares of the similarity: whole-text cosine, title overlap, how much of each one's name the
 * other's text covers, category relation. They sum to 1.
 */
export const SIMILARITY_SHARES = { text: 0.35, title: 0.25, cover: 0.25, category: 0.15 } as const;
/** Below this a service is not reported as similar; category alone (0.15 at most) never reaches it. */
export const SIMILARITY_FLOOR = 0.35;
export const MAX_SIMILAR = 5;

interface Document {
  id: string;
  /** Word → the weight of the strongest field it appears in. */
  fieldWeight: Map<string, number>;
  /** The words of the Chinese title and those of the English one, apart: a title is compared in the language both have. */
  titleWords: Set<string>;
  titleEnWords: Set<string>;
  /** The words that name the service: its title's and tags' (the Chinese ones). */
  nameWords: Set<string>;
  categoryId: string;
  parentCategoryId: string | null;
}

function documentOf(service: ComparableService): Document {
  // Where a service is offered is not what it is: a district's variant of a service is a near-duplicate.
  const what = {
    title: withoutDistrictNames(service.title),
    titleEn: service.titleEn === null ? null : withoutDistrictNames(service.titleEn),
    tags: service.tags.map(withoutDistrictNames),
    summary: withoutDistrictNames(service.summary),
    description: service.description === null ? null : withoutDistrictNames(service.description),
  };
  // The text matcher's field weighting, so both judge overlap the same way.
  const { wordWeight: fieldWeight, tagWords } = fieldWeightedWords(what);
  const titleWords = tokenize(what.title);
  return {
    id: service.id,
    fieldWeight,
    titleWords: new Set(titleWords),
    titleEnWords: new Set(tokenize(what.titleEn ?? '')),
    nameWords: new Set([...titleWords, ...tagWords.filter((word) => !LATIN_WORD.test(word))]),
    categoryId: service.categoryId,
    parentCategoryId: service.parentCategoryId,
  };
}

const LATIN_WORD = /^[a-z0-9]+$/;

/** 1 for the same category, 0.5 for siblings or parent and child, else 0. */
export function categoryRelation(
  a: { categoryId: string; parentCategoryId: string | null },
  b: { categoryId: string; parentCategoryId: string | null },
): number {
  if (a.categoryId === b.categoryId) return 1;
  if (a.parentCategoryId !== null && a.parentCategoryId === b.parentCategoryId) return 0.5;
  if (a.parentCategoryId === b.categoryId || b.parentCategoryId === a.categoryId) return 0.5;
  return 0;
}

/** Words by number, ascending, with the IDF sum of all of them, known or not. */
interface WordSet {
  ids: Int32Array;
  information: number;
}

/** A document as the index compares it: the words it knows by number, ascending. */
interface Vector {
  /** Known words' numbers, ascending, with their field weight × IDF. */
  ids: Int32Array;
  weights: Float64Array;
  /** Of every word, known or not. */
  norm: number;
  title: WordSet;
  titleEn: WordSet;
  name: WordSet;
}

/**
 * Overlap of a proposal with published services, over normalised tokens (the same
 * normalisation, segmentation and synonyms as search), district names left out (a district's
 * variant of a service is a near-duplicate of it):
 *
 * - *text*: the cosine of IDF-weighted word vectors of the whole text (words weighted by the
 *   field they appear in);
 * - *title*: the IDF-weighted Dice overlap of the Chinese titles, and of the English ones when
 *   both have one (their mean): an English title that only one side has does not dilute it;
 * - *cover*: how much of each one's name (title and tags, IDF-weighted) the other's whole text
 *   holds, the mean of the two directions: a service described in other words is still named
 *   in the other's text (上门洗澡 in the tags of 老年人上门助浴), which a short proposal's cosine
 *   with a long description misses;
 * - *category*: the same category or siblings.
 *
 * Pure and in memory; built once per catalogue snapshot. Words are numbered and each
 * document's kept sorted, so that comparing two is a merge of two arrays (a report compares
 * every published service with every other).
 */
export class SimilarityIndex {
  private readonly documents: Document[];
  private readonly vectors: Vector[];
  private readonly wordIds = new Map<string, number>();
  private readonly idfById: Float64Array;

  constructor(services: readonly ComparableService[]) {
    this.documents = services.map(documentOf);
    const df = new Map<string, number>();
    for (const doc of this.documents) for (const word of doc.fieldWeight.keys()) df.set(word, (df.get(word) ?? 0) + 1);
    this.idfById = new Float64Array(df.size);
    for (const [word, count] of df) {
      this.idfById[this.wordIds.size] = Math.log(1 + this.documents.length / count);
      this.wordIds.set(word, this.wordIds.size);
    }
    this.vectors = this.documents.map((doc) => this.vectorOf(doc));
  }

  get size(): number {
    return this.documents.length;
  }

  /** A word no service has counts as the rarest there is. */
  private idf(word: string): number {
    const id = this.wordIds.get(word);
    return id !== undefined ? this.idfById[id] : Math.log(1 + Math.max(1, this.documents.length));
  }

  private wordSetOf(words: Iterable<string>): WordSet {
    let information = 0;
    const ids: number[] = [];
    for (const word of words) {
      information += this.idf(word);
      const id = this.wordIds.get(word);
      if (id !== undefined) ids.push(id);
    }
    return { ids: Int32Array.from(ids).sort(), information };
  }

  private vectorOf(doc: Document): Vector {
    let squares = 0;
    const known: [number, number][] = [];
    for (const [word, weight] of doc.fieldWeight) {
      const weighted = weight * this.idf(word);
      squares += weighted ** 2;
      const id = this.wordIds.get(word);
      if (id !== undefined) known.push([id, weighted]);
    }
    known.sort((a, b) => a[0] - b[0]);
    return {
      ids: Int32Array.from(known, ([id]) => id),
      weights: Float64Array.from(known, ([, weight]) => weight),
      norm: Math.sqrt(squares),
      title: this.wordSetOf(doc.titleWords),
      titleEn: this.wordSetOf(doc.titleEnWords),
      name: this.wordSetOf(doc.nameWords),
    };
  }

  /** The IDF sum of the words both sorted arrays hold. */
  private sharedInformation(a: Int32Array, b: Int32Array): number {
    let shared = 0;
    for (let i = 0, j = 0; i < a.length && j < b.length;) {
      if (a[i] === b[j]) {
        shared += this.idfById[a[i]];
        i += 1;
        j += 1;
      } else if (a[i] < b[j]) i += 1;
      else j += 1;
    }
    return shared;
  }

  /** IDF-weighted Dice overlap of two word sets; null when either is empty. */
  private dice(a: WordSet, b: WordSet): number | null {
    if (a.information === 0 || b.information === 0) return null;
    return (2 * this.sharedInformation(a.ids, b.ids)) / (a.information + b.information);
  }

  /** The similarity of two documents, 0 to 1, with its parts. */
  private compare(proposal: Document, p: Vector, doc: Document, d: Vector) {
    let dot = 0;
    for (let i = 0, j = 0; i < p.ids.length && j < d.ids.length;) {
      if (p.ids[i] === d.ids[j]) dot += p.weights[i++] * d.weights[j++];
      else if (p.ids[i] < d.ids[j]) i += 1;
      else j += 1;
    }
    const text = p.norm > 0 && d.norm > 0 ? dot / (p.norm * d.norm) : 0;
    const titles = [this.dice(p.title, d.title), this.dice(p.titleEn, d.titleEn)].filter(
      (x): x is number => x !== null,
    );
    const title = titles.length === 0 ? 0 : titles.reduce((a, b) => a + b, 0) / titles.length;
    const covered = (name: WordSet, text: Int32Array) =>
      name.information === 0 ? 0 : this.sharedInformation(name.ids, text) / name.information;
    const cover = (covered(p.name, d.ids) + covered(d.name, p.ids)) / 2;
    const category = categoryRelation(proposal, doc);
    return {
      text,
      title,
      cover,
      category,
      similarity:
        SIMILARITY_SHARES.text * text +
        SIMILARITY_SHARES.title * title +
        SIMILARITY_SHARES.cover * cover +
        SIMILARITY_SHARES.category * category,
    };
  }

  /** Services most similar to `proposal`, most similar first, at or above the floor. */
  similarTo(
    proposal: ComparableService,
    options: { exclude?: ReadonlySet<string>; limit?: number; floor?: number } = {},
  ): Similarity[] {
    const doc = documentOf(proposal);
    const vector = this.vectorOf(doc);
    const floor = options.floor ?? SIMILARITY_FLOOR;
    const found: Similarity[] = [];
    this.documents.forEach((candidate, index) => {
      if (options.exclude?.has(candidate.id)) return;
      const { similarity } = this.compare(doc, vector, candidate, this.vectors[index]);
      if (similarity >= floor)
        found.push({ serviceId: candidate.id, similarity: Math.min(1, Math.round(similarity * 1e4) / 1e4) });
    });
    found.sort((a, b) => b.similarity - a.similarity || a.serviceId.localeCompare(b.serviceId));
    return found.slice(0, options.limit ?? MAX_SIMILAR);
  }
}
