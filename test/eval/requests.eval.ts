// npm run eval:requests — free-text request matching against the labelled sets in test/eval:
// top-1 and top-5 accuracy per group, and the calibration of the unmet threshold.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TextMatcher } from '../../src/modules/matching/text-matcher';
import { UNMET_THRESHOLD } from '../../src/modules/matching/request-matching.service';
import { markdownTable, writeDocSection } from './doc-section';

interface LabelledRequest { text: string; group: string; expected: string[] }
interface UnmetRequest { text: string; topic: string }
interface ServiceSeed {
  code: string; title: string; titleEn: string; tags: string[]; summary: string; description: string | null;
  category: string; eligibility: { districts: string[] };
}

function projectFile(...parts: string[]): string {
  const fromSource = path.resolve(__dirname, '..', '..', ...parts);
  try {
    readFileSync(fromSource);
    return fromSource;
  } catch {
    return path.resolve(__dirname, '..', '..', '..', ...parts);
  }
}
const readJson = <T>(...parts: string[]): T => JSON.parse(readFileSync(projectFile(...parts), 'utf8')) as T;

export function buildMatcher(): TextMatcher {
  const services = readJson<ServiceSeed[]>('seeds', 'catalogue', 'services.json');
  return new TextMatcher(
    services.map((s) => ({
      id: s.code,
      title: s.title,
      titleEn: s.titleEn,
      tags: s.tags,
      summary: s.summary,
      description: s.description,
      categoryCodes: [s.category, s.category.split('.')[0]],
      districtCodes: s.eligibility.districts,
    })),
  );
}

/** The threshold that best separates met from unmet requests by their best score. */
export function calibrate(met: number[], unmet: number[]): { threshold: number; metAccepted: number; unmetRejected: number } {
  let best = { threshold: 0, metAccepted: 0, unmetRejected: 0, balanced: -1 };
  for (let t = 0.05; t <= 0.95; t += 0.01) {
    const metAccepted = met.filter((s) => s >= t).length / met.length;
    const unmetRejected = unmet.filter((s) => s < t).length / unmet.length;
    const balanced = (metAccepted + unmetRejected) / 2;
    if (balanced > best.balanced + 1e-9) best = { threshold: Number(t.toFixed(2)), metAccepted, unmetRejected, balanced };
  }
  return best;
}

function main(): void {
  const matcher = buildMatcher();
  const labelled = readJson<LabelledRequest[]>('test', 'eval', 'requests.json');
  const unmet = readJson<UnmetRequest[]>('test', 'eval', 'unmet-requests.json');
  const groups = new Map<string, { n: number; top1: number; top5: number }>();
  const misses: string[] = [];
  const metScores: number[] = [];
  const started = Date.now();
  for (const request of labelled) {
    const matches = matcher.match(request.text, { limit: 5 });
    const ids = matches.map((m) => m.serviceId);
    const g = groups.get(request.group) ?? { n: 0, top1: 0, top5: 0 };
    g.n += 1;
    if (ids[0] && request.expected.includes(ids[0])) g.top1 += 1;
    else misses.push(`${request.group}\t${request.text}\texpected ${request.expected.join(',')}\tgot ${ids.slice(0, 3).join(',')}`);
    if (ids.some((id) => request.expected.includes(id))) g.top5 += 1;
    groups.set(request.group, g);
    metScores.push(matches[0]?.score ?? 0);
  }
  const unmetScores = unmet.map((r) => matcher.match(r.text, { limit: 1 })[0]?.score ?? 0);
  const ms = (Date.now() - started) / (labelled.length + unmet.length);

  const rows = [...groups.entries()].map(([group, g]) => [group, g.n, (g.top1 / g.n).toFixed(3), (g.top5 / g.n).toFixed(3)]);
  const all = [...groups.values()].reduce((a, g) => ({ n: a.n + g.n, top1: a.top1 + g.top1, top5: a.top5 + g.top5 }), { n: 0, top1: 0, top5: 0 });
  rows.push(['all', all.n, (all.top1 / all.n).toFixed(3), (all.top5 / all.n).toFixed(3)]);
  const calibration = calibrate(metScores, unmetScores);
  const atCurrent = {
    metAccepted: metScores.filter((s) => s >= UNMET_THRESHOLD).length / metScores.length,
    unmetRejected: unmetScores.filter((s) => s < UNMET_THRESHOLD).length / unmetScores.length,
  };
  const table = markdownTable(['group', 'requests', 'top-1', 'top-5'], rows);
  const calibrationText = [
    `Best-score calibration over ${metScores.length} met and ${unmetScores.length} unmet requests: the threshold that best`,
    `separates them (balanced accuracy) is ${calibration.threshold.toFixed(2)}, accepting ${(100 * calibration.metAccepted).toFixed(1)}% of met`,
    `requests and flagging ${(100 * calibration.unmetRejected).toFixed(1)}% of unmet ones. The threshold in use, UNMET_THRESHOLD = ${UNMET_THRESHOLD},`,
    `accepts ${(100 * atCurrent.metAccepted).toFixed(1)}% of met requests and flags ${(100 * atCurrent.unmetRejected).toFixed(1)}% of unmet ones.`,
    `Matching took ${ms.toFixed(2)} ms per request (in memory, one core).`,
  ].join(' ');
  console.log(table);
  console.log(`\n${calibrationText}`);
  if (process.argv.includes('--misses')) console.log(`\n${misses.join('\n')}`);
  if (!process.argv.includes('--no-write')) writeDocSection('matching.md', 'request-eval', `${table}\n\n${calibrationText}`);
}

if (require.main === module) main();
