// How well need recognition generalises to phrasings it was not given: every fourth trigger
// phrase of each need is held out, the recogniser is built from the rest, and the held-out
// phrases are recognised. Texts that express no need of the model (written for this script)
// measure false recognitions. Usage: npm run eval:needs [-- --no-write]
import { performance } from 'node:perf_hooks';
import { MIN_NEED_CONFIDENCE, NeedRecogniser } from '../../src/modules/needs/need-recognition';
import { buildNeedsModel, readNeedsData, type NeedsData } from '../../src/modules/needs/needs-data';
import { markdownTable, writeDocSection } from './doc-section';

const HOLD_OUT_EVERY = 4;

/** Requests about nothing the needs model covers: small talk, shopping, facts. */
const NO_NEED = [
  '今天天气怎么样', '推荐一家好吃的火锅店', '明天几点日出', '这首歌叫什么名字', '周末去哪里爬山好',
  '帮我写一首诗', '手机屏幕碎了去哪修', '哪里能买到便宜的球鞋', '怎么做红烧肉', '附近有没有好喝的咖啡',
  '贵阳有什么好玩的夜市', '我想学吉他弹唱', '电影院几点关门', '明天会下雨吗', '怎么减肥最快',
  '奶茶哪家好喝', '笔记本电脑卡顿怎么办', '周末的演唱会门票', '哪里可以钓鱼', '给女朋友买什么礼物',
  'what is the weather tomorrow', 'recommend a good hotpot restaurant', 'how do I cook rice',
  'best phone to buy this year', 'where can I watch the football match', '今天股市涨了吗',
  '打游戏太晚了', '微信怎么改头像', '怎么拍好看的照片', '哪家健身房私教好',
];

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

function main(): void {
  const data = readNeedsData();
  const { train, heldOut } = split(data);
  const built = performance.now();
  const recogniser = new NeedRecogniser(buildNeedsModel(train));
  const buildMs = performance.now() - built;

  let top1 = 0;
  let top3 = 0;
  let recognised = 0;
  let confidentRight = 0;
  const times: number[] = [];
  for (const { text, need } of heldOut) {
    const started = performance.now();
    const found = recogniser.recognise(text, { minConfidence: 0, limit: 3 }).needs;
    times.push(performance.now() - started);
    const codes = found.map((n) => n.need.code);
    if (codes[0] === need) top1++;
    if (codes.includes(need)) top3++;
    if (found[0] && found[0].confidence >= MIN_NEED_CONFIDENCE) {
      recognised++;
      if (codes[0] === need) confidentRight++;
    }
  }
  const falseRecognitions = NO_NEED.filter((text) => recogniser.recognise(text).needs.length > 0);
  times.sort((a, b) => a - b);
  const share = (n: number, of: number) => (of === 0 ? '–' : (n / of).toFixed(3));
  const table = markdownTable(
    ['held-out phrases', 'top-1', 'top-3', `recognised (confidence ≥ ${MIN_NEED_CONFIDENCE})`, 'right when recognised',
      'texts of no need', 'recognised a need'],
    [[heldOut.length, share(top1, heldOut.length), share(top3, heldOut.length), share(recognised, heldOut.length),
      share(confidentRight, recognised), NO_NEED.length, falseRecognitions.length]],
  );
  const text =
    `${table}\n\nEvery ${HOLD_OUT_EVERY}th trigger phrase of each need held out, the recogniser built from the ` +
    `other ${train.needs.reduce((sum, n) => sum + n.triggers.length, 0)} in ${buildMs.toFixed(0)} ms; ` +
    `recognising one text took ${times[Math.floor(times.length / 2)].toFixed(2)} ms median, ` +
    `${times[Math.floor(times.length * 0.99)].toFixed(2)} ms at the 99th percentile (one core).`;
  console.log(text);
  if (falseRecognitions.length) console.log(`texts of no need recognised as a need: ${falseRecognitions.join(' / ')}`);
  if (!process.argv.includes('--no-write')) writeDocSection('matching.md', 'needs-eval', text);
}

main();
