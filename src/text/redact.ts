/**
 * Personal data in citizens' free text, hidden wherever one person's text is shown to
 * another (unmet-demand samples, demand evidence, Open311 feeds, reports, the audit trail).
 * Pure: the same text always gives the same result, and redacting twice changes nothing
 * (markers hold no digits, letters or @).
 *
 * Matching runs on a copy whose full-width and look-alike characters are folded one code
 * unit for one (１３８ → 138, ＠ → @, － and — → -), so every span found there is the same
 * span of the original text; only the spans are replaced and the rest of the text is kept
 * as the citizen wrote it.
 */

export enum PersonalDataKind {
  EMAIL = 'EMAIL',
  ID_CARD = 'ID_CARD',
  PHONE = 'PHONE',
  BANK_CARD = 'BANK_CARD',
  PASSPORT = 'PASSPORT',
  ACCOUNT = 'ACCOUNT',
  NUMBER = 'NUMBER',
}

/** What replaces each kind: short, in Chinese, and plainly not the citizen's own words. */
export const REDACTION_MARKERS: Readonly<Record<PersonalDataKind, string>> = {
  [PersonalDataKind.EMAIL]: '[邮箱]',
  [PersonalDataKind.ID_CARD]: '[身份证]',
  [PersonalDataKind.PHONE]: '[电话]',
  [PersonalDataKind.BANK_CARD]: '[银行卡]',
  [PersonalDataKind.PASSPORT]: '[证件号]',
  [PersonalDataKind.ACCOUNT]: '[账号]',
  [PersonalDataKind.NUMBER]: '[号码]',
};

export interface PersonalDataSpan {
  kind: PersonalDataKind;
  /** Code-unit offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/**
 * Full-width ASCII (U+FF01–FF5E) to ASCII, the ideographic and no-break spaces to a space,
 * dashes to '-': one code unit for one, so offsets are kept.
 */
export function foldForMatching(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000\u00A0\u2007\u202F]/g, ' ')
    .replace(DASHES, '-');
}

// Separators people put inside numbers: a space, a dash or a dot (after folding).
const SEP = '[ \\-.]?';
const DATE = '(?:18|19|20)\\d{2}[ \\-]?(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
const COUNTRY = '(?:(?:\\+|00) ?86|\\(\\+?86\\))[ \\-]?';

/** What a text has, checked once so that rules that cannot match are not run. */
interface TextFacts {
  at: boolean;
  digits: number;
  phoneWord: boolean;
  accountWord: boolean;
}

interface Rule {
  kind: PersonalDataKind;
  pattern: RegExp;
  /** Whether the rule can match a text with these facts. */
  needs: (facts: TextFacts) => boolean;
  /** Further check of a match (the folded text of the match). */
  accept?: (match: string) => boolean;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** The Luhn check every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

// Words after which a number or handle is a contact (电话：8123 4567, 微信 zhang_san88).
const PHONE_WORDS = '(?:电话|手机|座机|联系方式|联系|致电|拨打|来电|热线|tel|phone|mobile|call)';
const ACCOUNT_WORDS = '(?:微信|qq|wx|vx|wechat)';
const PHONE_WORD = new RegExp(PHONE_WORDS, 'i');
const ACCOUNT_WORD = new RegExp(ACCOUNT_WORDS, 'i');
const AFTER_WORD = '(?:号码|号)?(?:是|为)?[ :：]*';

/** In order: an earlier rule's span wins over any later match overlapping it. */
const RULES: Rule[] = [
  {
    kind: PersonalDataKind.EMAIL,
    pattern: /[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/g,
    needs: (f) => f.at,
  },
  // 18-digit resident identity number: area, birth date, sequence, check digit (0-9 or X).
  {
    kind: PersonalDataKind.ID_CARD,
    pattern: new RegExp(`(?<!\\d)[1-9]\\d{5}[ \\-]?${DATE}[ \\-]?\\d{3}[\\dXx](?![\\dA-Za-z])`, 'g'),
    needs: (f) => f.digits >= 7,
  },
  // Payment cards: 16-19 digits; grouped ones must pass Luhn or be UnionPay's 62 (so that a
  // list of years or amounts is left alone).
  {
    kind: PersonalDataKind.BANK_CARD,
    pattern: /(?<!\d)\d(?:[ \-]?\d){15,18}(?!\d)/g,
    needs: (f) => f.digits >= 7,
    accept: (match) => /^\d+$/.test(match) || match.startsWith('62') || passesLuhn(digitsOf(match)),
  },
  // Mobile: 1[3-9] and nine digits, grouped any way, with an optional +86 / 0086 / (+86) or bare 86.
  {
    kind: PersonalDataKind.PHONE,
    pattern: new RegExp(`(?<!\\d)(?:${COUNTRY}|86)?1[3-9]\\d(?:${SEP}\\d){8}(?!\\d)`, 'g'),
    needs: (f) => f.digits >= 7,
  },
  // Landline with area code: 0851-8123 4567, (0851)81234567, +86 851 8123 4567, extension kept out.
  {
    kind: PersonalDataKind.PHONE,
    pattern: new RegExp(
      `(?<!\\d)(?:${COUNTRY}\\(?0?[1-9]\\d{1,2}\\)?|\\(0[1-9]\\d{1,2}\\)|0[1-9]\\d{1,2})` +
        `[ \\-]?[2-9]\\d{2,3}[ \\-]?\\d{4}(?!\\d)`,
      'g',
    ),
    needs: (f) => f.digits >= 7,
  },
  // 15-digit identity number of before 1999: area, yymmdd, sequence.
  {
    kind: PersonalDataKind.ID_CARD,
    pattern: /(?<!\d)[1-9]\d{5}[ \-]?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ \-]?\d{3}(?!\d)/g,
    needs: (f) => f.digits >= 7,
  },
  // Passports (E12345678, EA1234567, G…, D…, S…, P…) and Hong Kong / Macau travel permits (H/M + 8 or 10 digits).
  {
    kind: PersonalDataKind.PASSPORT,
    pattern: /(?<![A-Za-z0-9])(?:[EeGgDdSsPp][A-Za-z]?\d{7,8}|[HhMmCc]\d{8}(?:\d{2})?)(?![A-Za-z0-9])/g,
    needs: (f) => f.digits >= 7,
  },
  // Any number of 7 or more digits after a word that says it is a contact.
  {
    kind: PersonalDataKind.PHONE,
    pattern: new RegExp(`(?<=${PHONE_WORDS}${AFTER_WORD})\\d(?:${SEP}\\d){6,}(?!\\d)`, 'gi'),
    needs: (f) => f.digits >= 7 && f.phoneWord,
  },
  // A WeChat or QQ handle after its name.
  {
    kind: PersonalDataKind.ACCOUNT,
    pattern: new RegExp(`(?<=${ACCOUNT_WORDS}${AFTER_WORD})[A-Za-z0-9][A-Za-z0-9_\\-]{4,19}(?![A-Za-z0-9_\\-])`, 'gi'),
    needs: (f) => f.accountWord,
  },
  // Any other run of 7 or more digits (an unlisted phone, a member or case number), unless it
  // is an amount or a count (3000000元, 1200000人).
  {
    kind: PersonalDataKind.NUMBER,
    pattern:
      /(?<!\d)\d{7,}(?!\d)(?![ ]?(?:元|块|万|亿|人|次|平方|平米|㎡|米|公里|千米|斤|公斤|千克|个|户|件|台|辆|份))/g,
    needs: (f) => f.digits >= 7,
  },
];

/** Every rule needs a digit or an @, except handles, which need their name: most texts have neither. */
const MAY_HOLD_PERSONAL_DATA = /[0-9\uFF10-\uFF19@\uFF20]|微信|wechat|[qｑ][qｑ]|[wｗvｖ][xｘ]/i;

/** The personal data found in `text`, in order of position; spans never overlap. */
export function findPersonalData(text: string): PersonalDataSpan[] {
  if (!MAY_HOLD_PERSONAL_DATA.test(text)) return [];
  const folded = foldForMatching(text);
  let digits = 0;
  for (let i = 0; i < folded.length; i++) if (folded.charCodeAt(i) >= 48 && folded.charCodeAt(i) <= 57) digits++;
  const facts: TextFacts = {
    at: folded.includes('@'),
    digits,
    phoneWord: PHONE_WORD.test(folded),
    accountWord: ACCOUNT_WORD.test(folded),
  };
  const spans: PersonalDataSpan[] = [];
  const overlaps = (start: number, end: number) => spans.some((s) => start < s.end && s.start < end);
  for (const rule of RULES) {
    if (!rule.needs(facts)) continue;
    for (const match of folded.matchAll(rule.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (overlaps(start, end) || (rule.accept && !rule.accept(match[0]))) continue;
      spans.push({ kind: rule.kind, start, end });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * `text` with every phone number, identity number, e-mail address, bank card, passport
 * number, WeChat/QQ handle and other long number replaced by its marker ([电话] …), or by
 * what `replace` gives for it.
 */
export function redactPersonalData(
  text: string,
  replace: (kind: PersonalDataKind) => string = (kind) => REDACTION_MARKERS[kind],
): string {
  const spans = findPersonalData(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + replace(span.kind);
    at = span.end;
  }
  return out + text.slice(at);
}

/** The text with its personal data left out (a space in its place): for keywords and clustering. */
export function withoutPersonalData(text: string): string {
  return redactPersonalData(text, () => ' ');
}
