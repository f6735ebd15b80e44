import { tokenize } from '../../text';

export interface SearchableService {
  title: string;
  titleEn?: string | null;
  tags: readonly string[];
  summary: string;
  description?: string | null;
}

/** Space-joined tokens per tsvector weight: A title, B tags, C summary, D description. */
export interface SearchDocument {
  a: string;
  b: string;
  c: string;
  d: string;
}

export function searchDocument(service: SearchableService): SearchDocument {
  return {
    a: tokenize(`${service.title} ${service.titleEn ?? ''}`).join(' '),
    b: tokenize(service.tags.join(' ')).join(' '),
    c: tokenize(service.summary).join(' '),
    d: tokenize(service.description ?? '').join(' '),
  };
}

/** SQL building the tsvector from four parameters holding a SearchDocument's a, b, c, d. */
export function searchVectorSql(a: string, b: string, c: string, d: string): string {
  return `setweight(to_tsvector('simple', ${a}), 'A') || setweight(to_tsvector('simple', ${b}), 'B')
       || setweight(to_tsvector('simple', ${c}), 'C') || setweight(to_tsvector('simple', ${d}), 'D')`;
}
