// Deciding met, gap or unmet on the needs' own evidence (the classifier left out) or on their
// confidence, on the tuning split only (never a held-out file): top-1 per kind and the unmet
// flag's precision and recall per trap, for each setting given as own need confidence/own weak
// floor, "off" deciding on the confidence. `npm run build && node dist/test/eval/tune-own-evidence.js
// [--settings off,0.6/0.5,0.63/0.53] [--misses]` (--misses lists the gaps answered as met).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RequestUnderstander, UNDERSTANDING_SETTINGS } from '../../src/modules/matching/request-understanding';
import { seededNeedsModel } from '../../src/modules/needs/needs-data';
import { NeedRecogniser, servicePhrasesOf } from '../../src/modules/needs/need-recognition';
import { buildMatcher } from './requests.eval';

interface Item {
  text: string;
  kind: string;
  expected?: string[];
  unmet?: true;
  trap?: string;
}
const root = path.resolve(__dirname, '..', '..', '..');
const tune = JSON.parse(readFileSync(path.join(root, 'test', 'eval', 'requests.tune.json'), 'utf8')) as {
  items: Item[];
};
const services = JSON.parse(readFileSync(path.join(root, 'seeds', 'catalogue', 'services.json'), 'utf8')) as {
  code: string;
  title: string;
  tags: string[];
}[];
const at = process.argv.indexOf('--settings');
const settings = (at > 0 ? process.argv[at + 1] : 'off,0.6/0.5,0.63/0.53').split(',');
const model = seededNeedsModel();
const recogniser = new NeedRecogniser(model, { servicePhrases: servicePhrasesOf(services) });
const codes = new Map(services.map((s) => [s.code, s.code]));
const matcher = buildMatcher();
for (const setting of settings) {
  const [ownNeedConfidence, ownWeakNeedConfidence] = setting.split('/').map(Number);
  const u = new RequestUnderstander(matcher, recogniser, model, codes, {
    ...UNDERSTANDING_SETTINGS,
    decideOnOwnEvidence: setting !== 'off',
    ...(setting === 'off' ? {} : { ownNeedConfidence, ownWeakNeedConfidence }),
  });
  const tally = new Map<string, { n: number; right: number }>();
  const count = (kind: string, right: boolean) => {
    const t = tally.get(kind) ?? { n: 0, right: 0 };
    t.n++;
    if (right) t.right++;
    tally.set(kind, t);
  };
  let flagged = 0;
  let flaggedRight = 0;
  const misses: string[] = [];
  for (const item of tune.items) {
    const answer = u.understand(item.text, { limit: 3 });
    if (answer.unmet) flagged++;
    if (item.unmet) {
      if (answer.unmet) flaggedRight++;
      else
        misses.push(
          `${item.trap}: ${item.text} → ${answer.matches[0]?.serviceId} (${answer.needs[0]?.need.code ?? '-'})`,
        );
      count('unmet recall', answer.unmet);
      count(`unmet recall: ${item.trap}`, answer.unmet);
    } else {
      const right = !answer.unmet && item.expected!.includes(answer.matches[0]?.serviceId ?? '');
      count(`top-1 ${item.kind}`, right);
      if (item.kind !== 'clean') count('top-1 harder', right);
      count('met flagged unmet', answer.unmet);
    }
  }
  console.log(`decided on own evidence ${setting}: unmet precision ${(flaggedRight / flagged).toFixed(3)}`);
  for (const [kind, t] of [...tally].sort())
    console.log(`  ${kind.padEnd(28)} ${String(t.n).padStart(4)} ${(t.right / t.n).toFixed(3)}`);
  if (process.argv.includes('--misses')) for (const m of misses) console.log(`  missed ${m}`);
}
