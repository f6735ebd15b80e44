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

/** Shares of the similarity: whole-text cosine, title overlap, category relation. They sum to 1. */
export const SIMILARITY_SHARES = { text: 0.5, title: 0.3, category: 0.2 } as const;
/** Below this a service is not reported as similar; category alone (0.2 at most) never reaches it. */
export const SIMILARITY_FLOOR = 0.35;
export const MAX_SIMILAR = 5;

interface Document {
  id: string;
  /** Word → the weight of the strongest field it appears in. */
  fieldWeight: Map<string, number>;
  titleWords: Set<string>;
  categoryId: string;
  parentCategoryId: string | null;
}

function documentOf(service: ComparableService): Document {
  // The text matcher's field weighting, so both judge overlap the same way.
  const { wordWeight: fieldWeight, titleWords } = fieldWeightedWords(service);
  return {
    id: service.id,
    fieldWeight,
    titleWords: new Set(titleWords),
    categoryId: service.categoryId,
    parentCategoryId: service.parentCategoryId,
  };
}

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

/** A document as the index compares it: the words it knows by number, ascending. */
interface Vector {
  /** Known words' numbers, ascending, with their field weight × IDF. */
  ids: Int32Array;
  weights: Float64Array;
  /** Of every word, known or not. */
  norm: number;
  titleIds: Int32Array;
  /** The IDF sum of the title's words, known or not. */
  titleInformation: number;
}

/**
 * Overlap of a proposal with published services, over normalised tokens (the same
 * normalisation, segmentation and synonyms as search): the cosine of IDF-weighted word
 * vectors of the whole text (words weighted by the field they appear in), the IDF-weighted
 * Dice overlap of the titles, and whether the categories are the same or siblings. Pure and
 * in memory; built once per catalogue snapshot. Words are numbered and each document's kept
 * sorted, so that comparing two is a merge of two arrays (a report compares every published
 * service with every other).
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
    let titleInformation = 0;
    const titleIds: number[] = [];
    for (const word of doc.titleWords) {
      titleInformation += this.idf(word);
      const id = this.wordIds.get(word);
      if (id !== undefined) titleIds.push(id);
    }
    return {
      ids: Int32Array.from(known, ([id]) => id),
      weights: Float64Array.from(known, ([, weight]) => weight),
      norm: Math.sqrt(squares),
      titleIds: Int32Array.from(titleIds).sort(),
      titleInformation,
    };
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
    // IDF-weighted Dice overlap of the titles.
    let shared = 0;
    for (let i = 0, j = 0; i < p.titleIds.length && j < d.titleIds.length;) {
      if (p.titleIds[i] === d.titleIds[j]) {
        shared += 2 * this.idfById[p.titleIds[i]];
        i += 1;
        j += 1;
      } else if (p.titleIds[i] < d.titleIds[j]) i += 1;
      else j += 1;
    }
    const total = p.titleInformation + d.titleInformation;
    const title = total === 0 ? 0 : shared / total;
    const category = categoryRelation(proposal, doc);
    return {
      text,
      title,
      category,
      similarity:
        SIMILARITY_SHARES.text * text + SIMILARITY_SHARES.title * title + SIMILARITY_SHARES.category * category,
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
