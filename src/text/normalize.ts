import * as OpenCC from 'opencc-js';

// 'twp' converts Taiwan phrases as well as characters (軟體→软件) and handles Hong Kong
// variants (裏→里) too; on simplified text it is the identity.
const toSimplified = OpenCC.Converter({ from: 'twp', to: 'cn' });

/**
 * Canonical form of user or catalogue text: full-width to half-width (NFKC), traditional to
 * simplified Chinese, lower case, runs of white space folded.
 */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();
}
