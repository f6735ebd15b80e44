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

/**
 * Overlap of a proposal with published services, over normalised tokens (the same
 * normalisation, segmentation and synonyms as search): the cosine of IDF-weighted word
 * vectors of the whole text (words weighted by the field they appear in), the IDF-weighted
 * Dice overlap of the titles, and whether the categories are the same or siblings. Pure and
 * in memory; built once per catalogue snapshot.
 */
export class SimilarityIndex {
  private readonly documents: Document[];
  private readonly idfByWord = new Map<string, number>();
  private readonly norms: number[];

  constructor(services: readonly ComparableService[]) {
    this.documents = services.map(documentOf);
    const df = new Map<string, number>();
    for (const doc of this.documents) for (const word of doc.fieldWeight.keys()) df.set(word, (df.get(word) ?? 0) + 1);
    for (const [word, count] of df) this.idfByWord.set(word, Math.log(1 + this.documents.length / count));
    this.norms = this.documents.map((doc) => this.norm(doc));
  }

  get size(): number {
    return this.documents.length;
  }

  /** A word no service has counts as the rarest there is. */
  private idf(word: string): number {
    return this.idfByWord.get(word) ?? Math.log(1 + Math.max(1, this.documents.length));
  }

  private norm(doc: Document): number {
    let sum = 0;
    for (const [word, weight] of doc.fieldWeight) sum += (weight * this.idf(word)) ** 2;
    return Math.sqrt(sum);
  }

  private titleOverlap(a: Set<string>, b: Set<string>): number {
    let shared = 0;
    let total = 0;
    for (const word of a) {
      total += this.idf(word);
      if (b.has(word)) shared += 2 * this.idf(word);
    }
    for (const word of b) total += this.idf(word);
    return total === 0 ? 0 : shared / total;
  }

  /** The similarity of two documents, 0 to 1, with its parts. */
  private compare(proposal: Document, proposalNorm: number, doc: Document, docNorm: number) {
    let dot = 0;
    const [small, large] = proposal.fieldWeight.size <= doc.fieldWeight.size ? [proposal, doc] : [doc, proposal];
    for (const [word, weight] of small.fieldWeight) {
      const other = large.fieldWeight.get(word);
      if (other !== undefined) dot += weight * other * this.idf(word) ** 2;
    }
    const text = proposalNorm > 0 && docNorm > 0 ? dot / (proposalNorm * docNorm) : 0;
    const title = this.titleOverlap(proposal.titleWords, doc.titleWords);
    const category = categoryRelation(proposal, doc);
    return {
      text,
      title,
      category,
      similarity: SIMILARITY_SHARES.text * text + SIMILARITY_SHARES.title * title + SIMILARITY_SHARES.category * category,
    };
  }

  /** Services most similar to `proposal`, most similar first, at or above the floor. */
  similarTo(
    proposal: ComparableService,
    options: { exclude?: ReadonlySet<string>; limit?: number; floor?: number } = {},
  ): Similarity[] {
    const doc = documentOf(proposal);
    const norm = this.norm(doc);
    const floor = options.floor ?? SIMILARITY_FLOOR;
    const found: Similarity[] = [];
    this.documents.forEach((candidate, index) => {
      if (options.exclude?.has(candidate.id)) return;
      const { similarity } = this.compare(doc, norm, candidate, this.norms[index]);
      if (similarity >= floor) found.push({ serviceId: candidate.id, similarity: Math.min(1, Math.round(similarity * 1e4) / 1e4) });
    });
    found.sort((a, b) => b.similarity - a.similarity || a.serviceId.localeCompare(b.serviceId));
    return found.slice(0, options.limit ?? MAX_SIMILAR);
  }
}
