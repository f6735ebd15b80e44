import * as OpenCC from 'opencc-js';

// 'twp' converts Taiwan phrases as well as characters (軟體→软件) and handles Hong Kong
// variants (裏→里) too; on simplified text it is the identity.
const toSimplified = OpenCC.Converter({ from: 'twp', to: 'cn' });
/**
 * Taiwan and Hong Kong write the identity card 身分證, which OpenCC leaves as 身分证: read as the
 * mainland's 身份证 (same length, so offsets into the text hold). Without it 身分證過期 was read by
 * the one need whose phrases carry that spelling (a lost card) instead of the card's renewal.
 */
const ID_CARD_VARIANT = /身分证/gu;

/**
 * Canonical form of user or catalogue text: full-width to half-width (NFKC), traditional to
 * simplified Chinese, lower case, runs of white space folded.
 */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize('NFKC'))
    .replace(ID_CARD_VARIANT, '身份证')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
