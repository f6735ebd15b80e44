// Grid over the request understanding's constants on the tuning split only (never the held-out
// one): top-1 of the harder kinds and the unmet flag's F1. `npm run build && node dist/test/eval/tune-understanding.js`
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
const model = seededNeedsModel();
const matcher = buildMatcher();
const codes = new Map(services.map((s) => [s.code, s.code]));
const rows: string[] = [];
for (const conceptShare of [0, 0.5, 0.6, 0.7, 0.8]) {
  const recogniser = new NeedRecogniser(model, { servicePhrases: servicePhrasesOf(services), conceptShare });
  for (const needConfidence of [0.5, 0.55, 0.6]) {
    for (const lexicalUnmetThreshold of [0.15, 0.2, 0.25]) {
      for (const agreementShare of [0.3, 0.5]) {
        const u = new RequestUnderstander(matcher, recogniser, model, codes, {
          ...UNDERSTANDING_SETTINGS,
          needConfidence,
          lexicalUnmetThreshold,
          agreementShare,
        });
        let hardHit = 0,
          hard = 0,
          tp = 0,
          fp = 0,
          fn = 0,
          clean = 0,
          cleanHit = 0;
        for (const item of tune.items) {
          const r = u.understand(item.text, { limit: 3 });
          if (item.unmet) {
            if (r.unmet) tp++;
            else fn++;
            continue;
          }
          if (r.unmet) fp++;
          const hit = !r.unmet && r.matches[0] && item.expected!.includes(r.matches[0].serviceId) ? 1 : 0;
          if (item.kind === 'clean') {
            clean++;
            cleanHit += hit;
          } else {
            hard++;
            hardHit += hit;
          }
        }
        const p = tp / Math.max(1, tp + fp),
          rc = tp / Math.max(1, tp + fn);
        rows.push(
          [
            conceptShare,
            needConfidence,
            lexicalUnmetThreshold,
            agreementShare,
            (cleanHit / clean).toFixed(3),
            (hardHit / hard).toFixed(3),
            p.toFixed(3),
            rc.toFixed(3),
            ((2 * p * rc) / Math.max(1e-9, p + rc)).toFixed(3),
          ].join('\t'),
        );
      }
    }
  }
}
console.log('concept\tneedConf\tlexUnmet\tagree\tclean\thard(top1&met)\tprec\trecall\tF1\n' + rows.join('\n'));
