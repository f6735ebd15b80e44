const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The first `max` UTF-16 code units of a text, without a half surrogate pair at the cut (an
 * emoji cut in two would be a lone surrogate); the text itself when it is no longer.
 */
export function leadingPart(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}
