import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expressesNoNeed } from '../../src/text/non-requests';
import { UNMET_NEEDS } from '../../seeds/population';
import { NO_NEED } from './no-need-texts';

/** The texts of a labelled set: an array of items, or a split file's `items`. */
function texts(file: string): string[] {
  const data = JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as
    { text: string }[] | { items: { text: string }[] };
  return (Array.isArray(data) ? data : data.items).map((item) => item.text);
}

/**
 * Every labelled request of the development sets and every wording of the seeded population's
 * unmet needs is a need (met or not), and so is each text of
 * no-need-texts.ts (about nothing the needs model covers, yet a want: 手机屏幕碎了去哪修). The
 * rule of unmet demand that leaves out texts expressing no need (src/modules/analytics/
 * non-requests.ts) must drop none of them. The held-out sets are measured once, not here.
 */
describe('texts that express no need, on the labelled sets', () => {
  const sets: [string, string[]][] = [
    ['unmet-requests.json', texts('unmet-requests.json')],
    ['no-need-texts.ts', NO_NEED],
    ['the seeded population’s unmet needs', UNMET_NEEDS.flatMap((need) => need.texts)],
    ['requests.json', texts('requests.json')],
    ['requests.tune.json', texts('requests.tune.json')],
    ['requests.fresh3.dev.json', texts('requests.fresh3.dev.json')],
    ['requests.fresh4.dev.json', texts('requests.fresh4.dev.json')],
    ['requests.fresh5.dev.json', texts('requests.fresh5.dev.json')],
  ];

  it.each(sets)('%s: none is dropped', (_, set) => {
    expect(set.length).toBeGreaterThan(0);
    expect(set.filter(expressesNoNeed)).toEqual([]);
  });
});
