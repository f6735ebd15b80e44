// How well need recognition generalises to phrasings it was not given: every fourth trigger
// phrase of each need is held out, the recogniser is built from the rest, and the held-out
// phrases are recognised, as written, in traditional script and with one homophone typo. Texts
// that express no need of the model (written for this script) measure false recognitions.
// Usage: npm run eval:needs [-- --no-write] [--no-typos]
import { performance } from 'node:perf_hooks';
import { readCatalogueSeed } from '../../seeds/catalogue';
import { NEED_CONFIDENCE } from '../../src/modules/matching/request-understanding';
import { NeedRecogniser, servicePhrasesOf } from '../../src/modules/needs/need-recognition';
import { buildNeedsModel, readNeedsData, type NeedsData } from '../../src/modules/needs/needs-data';
import { dict } from '@node-rs/jieba/dict';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { markdownTable, writeDocSection } from './doc-section';
import { NO_NEED } from './no-need-texts';

const HOLD_OUT_EVERY = 4;

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

/**
 * A phone keyboard's typo: the middle Chinese character of a phrase replaced by the most
 * common other character of the same toneless pinyin (jieba's dictionary frequencies).
 */
function homophoneTypos(): (text: string) => string {
  const best = new Map<string, { char: string; count: number }[]>();
  for (const line of new TextDecoder('utf-8').decode(dict).split('\n')) {
    const [word, count] = line.split(' ');
    if (!word || [...word].length !== 1 || !/\p{Script=Han}/u.test(word)) continue;
    const sound = pinyin(word, { toneType: 'none' });
    const list = best.get(sound) ?? [];
    list.push({ char: word, count: Number(count) });
    best.set(sound, list);
  }
  for (const list of best.values()) list.sort((a, b) => b.count - a.count);
  return (text) => {
    const chars = [...text];
    const han = chars.map((c, i) => (/\p{Script=Han}/u.test(c) ? i : -1)).filter((i) => i >= 0);
    if (han.length < 2) return text;
    const at = han[Math.floor(han.length / 2)];
    const other = best.get(pinyin(chars[at], { toneType: 'none' }))?.find((c) => c.char !== chars[at]);
    if (!other) return text;
    chars[at] = other.char;
    return chars.join('');
  };
}

function split(data: NeedsData): { train: NeedsData; heldOut: { text: string; need: string }[] } {
  const heldOut: { text: string; need: string }[] = [];
  const needs = data.needs.map((need) => {
    const shared = new Set(need.sharedTriggers ?? []);
    const triggers = need.triggers.filter((text, i) => {
      const hold = i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1 && !shared.has(text);
      if (hold) heldOut.push({ text, need: need.code });
      return !hold;
    });
    return { ...need, triggers };
  });
  return { train: { ...data, needs }, heldOut };
}

const HAN = /\p{Script=Han}/u;

interface Tally {
  phrases: number;
  top1: number;
  top3: number;
  recognised: number;
  right: number;
}

/** The held-out phrases recognised as written, in traditional script and with a typo: a tally per kind, and each call's time. */
function recogniseHeldOut(
  recogniser: NeedRecogniser,
  heldOut: readonly { text: string; need: string }[],
): { tally: (kind: string) => Tally; times: number[] } {
  const tallies = new Map<string, Tally>();
  const tally = (kind: string) => {
    let t = tallies.get(kind);
    if (!t) tallies.set(kind, (t = { phrases: 0, top1: 0, top3: 0, recognised: 0, right: 0 }));
    return t;
  };
  const times: number[] = [];
  const evaluate = (kinds: string[], text: string, need: string) => {
    const started = performance.now();
    const found = recogniser.recognise(text, { minConfidence: 0, limit: 3 }).needs;
    times.push(performance.now() - started);
    const codes = found.map((n) => n.need.code);
    const confident = found[0] !== undefined && found[0].confidence >= NEED_CONFIDENCE;
    for (const t of kinds.map(tally)) {
      t.phrases++;
      if (codes[0] === need) t.top1++;
      if (codes.includes(need)) t.top3++;
      if (confident) t.recognised++;
      if (confident && codes[0] === need) t.right++;
    }
  };
  const typo = homophoneTypos();
  for (const { text, need } of heldOut) {
    const chinese = HAN.test(text);
    evaluate([chinese ? 'Chinese' : 'English', 'all'], text, need);
    if (!chinese) continue;
    evaluate(['Chinese, in traditional script'], toTraditional(text), need);
    const typed = typo(text);
    if (typed !== text) evaluate(['Chinese, one homophone typo'], typed, need);
  }
  return { tally, times };
}

function tallyTable(tally: (kind: string) => Tally): string {
  const share = (n: number, of: number) => (of === 0 ? '–' : (n / of).toFixed(3));
  return markdownTable(
    [
      'held-out phrases',
      'count',
      'top-1',
      'top-3',
      `recognised (confidence ≥ ${NEED_CONFIDENCE}, as matchRequest)`,
      'right when recognised',
    ],
    ['Chinese', 'English', 'all', 'Chinese, in traditional script', 'Chinese, one homophone typo'].map((kind) => {
      const t = tally(kind);
      return [
        kind,
        t.phrases,
        share(t.top1, t.phrases),
        share(t.top3, t.phrases),
        share(t.recognised, t.phrases),
        share(t.right, t.recognised),
      ];
    }),
  );
}

function main(): void {
  const data = readNeedsData();
  const { train, heldOut } = split(data);
  const built = performance.now();
  const servicePhrases = servicePhrasesOf(readCatalogueSeed().services);
  const typos = !process.argv.includes('--no-typos');
  const recogniser = new NeedRecogniser(buildNeedsModel(train), { servicePhrases, typos });
  const buildMs = performance.now() - built;

  const { tally, times } = recogniseHeldOut(recogniser, heldOut);
  const falseRecognitions = NO_NEED.filter(
    (text) => recogniser.recognise(text, { minConfidence: NEED_CONFIDENCE }).needs.length > 0,
  );
  times.sort((a, b) => a - b);
  const table = tallyTable(tally);
  const text =
    `${table}\n\nEvery ${HOLD_OUT_EVERY}th trigger phrase of each need held out, the recogniser built from the ` +
    `other ${train.needs.reduce((sum, n) => sum + n.triggers.length, 0)} in ${buildMs.toFixed(0)} ms; ` +
    `recognising one text took ${times[Math.floor(times.length / 2)].toFixed(2)} ms median, ` +
    `${times[Math.floor(times.length * 0.9)].toFixed(2)} ms at the 90th percentile (one core of a shared machine). ` +
    `Of ${NO_NEED.length} texts that express no need (small talk, shopping), ${falseRecognitions.length} ` +
    `had a need recognised.`;
  console.log(text);
  if (falseRecognitions.length) console.log(`texts of no need recognised as a need: ${falseRecognitions.join(' / ')}`);
  if (!process.argv.includes('--no-write')) writeDocSection('matching.md', 'needs-eval', text);
}

main();
