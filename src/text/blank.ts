/**
 * A character that shows something: not white space, not a format character (Unicode category
 * Cf: zero-width space and joiners, word joiner, bidirectional controls, soft hyphen, BOM) and
 * not a Hangul filler, which all render as nothing. `String.trim` keeps the format characters,
 * so a text of them alone passed every blank check.
 */
export const VISIBLE_CHARACTER = /[^\s\p{Cf}\u115F\u1160\u3164\uFFA0]/u;

/** True when `text` is absent or shows nothing (white space and invisible characters only). */
export function isBlankText(text: string | null | undefined): boolean {
  return text == null || !VISIBLE_CHARACTER.test(text);
}
