/**
 * Spoken and regional forms (south-western Mandarin as spoken in Guizhou, and phone-chat
 * shorthand) rewritten to the standard words the needs data and the catalogue use, before a
 * request is read. Only forms that mean one thing wherever they appear; each is replaced as
 * written, longest first.
 */
const COLLOQUIAL: readonly (readonly [string, string])[] = [
  ['啥子', '什么'], ['哪样', '什么'], ['咋个办', '怎么办'], ['咋个', '怎么'], ['咋办', '怎么办'], ['咋整', '怎么办'],
  ['哪点', '哪里'], ['哪哈', '哪里'], ['晓得', '知道'], ['没得', '没有'], ['莫得', '没有'],
  ['娃儿', '孩子'], ['娃娃', '孩子'], ['小娃', '孩子'], ['屋头', '家里'], ['屋里头', '家里'], ['屋里', '家里'],
  ['老汉', '父亲'], ['老头子', '老人'], ['婆娘', '老婆'], ['堂客', '老婆'], ['老倌', '老公'],
  ['搞掉了', '丢了'], ['搞丢了', '丢了'], ['弄掉了', '丢了'], ['整掉了', '丢了'], ['掉了', '丢了'],
  ['遭偷', '被偷'], ['遭抢', '被抢'], ['遭打', '被打'], ['遭骗', '被骗'], ['遭咬', '被咬'], ['遭撞', '被撞'],
  ['找活路', '找工作'], ['活路', '工作'], ['莫来', '没有来'], ['不得行', '不行'], ['恼火', '困难'],
];
const ORDERED = [...COLLOQUIAL].sort((a, b) => b[0].length - a[0].length);
const PATTERN = new RegExp(ORDERED.map(([from]) => from).join('|'), 'g');
const STANDARD = new Map(ORDERED);

/** The text with its spoken and regional forms in standard words (unchanged when it has none). */
export function standardWordsOf(text: string): string {
  return text.replace(PATTERN, (form) => STANDARD.get(form) ?? form);
}
