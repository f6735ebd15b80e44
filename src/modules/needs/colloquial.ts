/**
 * Spoken, regional and family words rewritten to the standard words the needs data and the
 * catalogue use, before a text is read: south-western Mandarin as spoken in Guizhou (啥子,
 * 咋个, 娃儿, 屋头 …), phone-chat shorthand, and the many ways of naming a relative (我爸, 老爸,
 * 爸爸 → 父亲). Only forms that mean one thing wherever they appear; each is replaced as
 * written, longest first. Triggers and requests are rewritten alike.
 */
const COLLOQUIAL: readonly (readonly [string, string])[] = [
  ['啥子', '什么'],
  ['哪样', '什么'],
  ['咋个办', '怎么办'],
  ['咋个', '怎么'],
  ['啷个办', '怎么办'],
  ['啷个', '怎么'],
  ['咋办', '怎么办'],
  ['咋整', '怎么办'],
  ['哪点', '哪里'],
  ['哪哈', '哪里'],
  ['晓得', '知道'],
  ['晓不得', '不知道'],
  ['没得', '没有'],
  ['莫得', '没有'],
  ['娃儿', '孩子'],
  ['娃娃', '孩子'],
  ['小娃', '孩子'],
  ['屋头', '家里'],
  ['屋里头', '家里'],
  ['屋里', '家里'],
  ['婆娘', '妻子'],
  ['堂客', '妻子'],
  ['老倌', '丈夫'],
  ['搞掉了', '丢了'],
  ['搞丢了', '丢了'],
  ['弄掉了', '丢了'],
  ['整掉了', '丢了'],
  ['掉了', '丢了'],
  ['遭偷', '被偷'],
  ['遭抢', '被抢'],
  ['遭打', '被打'],
  ['遭骗', '被骗'],
  ['遭咬', '被咬'],
  ['遭撞', '被撞'],
  ['找活路', '找工作'],
  ['活路', '工作'],
  ['不得行', '不行'],
  ['恼火', '困难'],
  // Everyday paraphrases of a service's word: asking for one's pay, marrying, learning to drive.
  ['讨工钱', '讨薪'],
  ['要工钱', '讨薪'],
  ['讨工资', '讨薪'],
  ['讨要工资', '讨薪'],
  ['挨打', '被打'],
  ['成个家', '结婚'],
  ['想成家', '想结婚'],
  ['登个记', '登记'],
  ['学会开车', '学开车'],
  // Taiwan's word for giving blood.
  ['捐血', '献血'],
  // Relatives: one word each.
  ['我爸爸', '我父亲'],
  ['我妈妈', '我母亲'],
  ['老爸', '父亲'],
  ['爸爸', '父亲'],
  ['我爸', '我父亲'],
  ['他爸', '他父亲'],
  ['她爸', '她父亲'],
  ['老汉儿', '父亲'],
  ['老爷子', '父亲'],
  ['老妈', '母亲'],
  ['妈妈', '母亲'],
  ['我妈', '我母亲'],
  ['他妈', '他母亲'],
  ['她妈', '她母亲'],
  ['老太太', '母亲'],
  ['爸妈', '父母'],
  ['老公', '丈夫'],
  ['老婆', '妻子'],
  ['儿媳妇', '儿媳'],
  ['老婆婆', '老人'],
  ['老者', '老人'],
  ['老公公', '老人'],
  ['媳妇', '妻子'],
  ['外公', '祖父'],
  ['姥爷', '祖父'],
  ['爷爷', '祖父'],
  ['外婆', '祖母'],
  ['姥姥', '祖母'],
  ['奶奶', '祖母'],
];
const ORDERED = [...COLLOQUIAL].sort((a, b) => b[0].length - a[0].length);
const PATTERN = new RegExp(ORDERED.map(([from]) => from).join('|'), 'g');
const STANDARD = new Map(ORDERED);

/** A text in standard words, with where each of its characters came from in the original. */
export interface StandardText {
  text: string;
  /** For each character of `text`, the offset in the original of the form it came from. */
  origin: number[];
  /** For each character of `text`, the end offset in the original of the form it came from. */
  originEnd: number[];
}

/** The text with its spoken, regional and family forms in standard words, with offsets back to the original. */
export function standardise(text: string): StandardText {
  let out = '';
  const origin: number[] = [];
  const originEnd: number[] = [];
  let last = 0;
  const copy = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      out += text[i];
      origin.push(i);
      originEnd.push(i + 1);
    }
  };
  for (const found of text.matchAll(PATTERN)) {
    const at = found.index!;
    copy(last, at);
    const standard = STANDARD.get(found[0]) ?? found[0];
    for (const ch of standard) {
      out += ch;
      origin.push(at);
      originEnd.push(at + found[0].length);
    }
    last = at + found[0].length;
  }
  copy(last, text.length);
  return { text: out, origin, originEnd };
}

/** The text with its spoken, regional and family forms in standard words (unchanged when it has none). */
export function standardWordsOf(text: string): string {
  return text.replace(PATTERN, (form) => STANDARD.get(form) ?? form);
}
