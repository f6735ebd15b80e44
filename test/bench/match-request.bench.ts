// Latency of request understanding (what matchRequest computes in memory), on the seeded
// catalogue and on one grown to 2,000 services with district variants (as `npm run seed --
// --services 2000` grows it): `npm run build && node dist/test/bench/match-request.bench.js`.
// Texts: the needs' own trigger phrases, so that nothing of the evaluation files is read. Each
// request is understood with and without a district (matchRequest's two shapes). The machine's
// load average is printed beside the figures: others share it.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { districtVariants, readCatalogueSeed, type ServiceSeed } from '../../seeds/catalogue';
import { RequestUnderstander } from '../../src/modules/matching/request-understanding';
import { TextMatcher } from '../../src/modules/matching/text-matcher';
import { NeedRecogniser, servicePhrasesOf } from '../../src/modules/needs/need-recognition';
import { seededNeedsModel } from '../../src/modules/needs/needs-data';

const TARGETS = { seeded: 10, '2000': 30, 'seeded, no classifier': 10 } as const;

function understanderOf(services: readonly ServiceSeed[], classifierShare?: number): RequestUnderstander {
  const matcher = new TextMatcher(
    services.map((s) => ({
      id: s.code,
      title: s.title,
      titleEn: s.titleEn,
      tags: s.tags,
      summary: s.summary,
      description: s.description ?? null,
      categoryCodes: [s.category, s.category.split('.')[0]],
      districtCodes: s.eligibility.districts,
    })),
  );
  const model = seededNeedsModel();
  const recogniser = new NeedRecogniser(model, { servicePhrases: servicePhrasesOf(services), classifierShare });
  return new RequestUnderstander(matcher, recogniser, model, new Map(services.map((s) => [s.code, s.code])));
}

function measure(
  label: keyof typeof TARGETS,
  services: readonly ServiceSeed[],
  texts: readonly string[],
  classifierShare?: number,
): void {
  const started = performance.now();
  const understander = understanderOf(services, classifierShare);
  const built = performance.now() - started;
  for (const text of texts.slice(0, 100)) understander.understand(text);
  const times: number[] = [];
  texts.forEach((text, i) => {
    const at = performance.now();
    understander.understand(text, { limit: 5, districtCode: i % 2 ? '520102' : null });
    times.push(performance.now() - at);
  });
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  const median = Number(at(0.5));
  console.log(
    `${label} (${services.length} services): built in ${built.toFixed(0)} ms; ${times.length} requests: ` +
      `median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms; target median < ${TARGETS[label]} ms ` +
      `${median < TARGETS[label] ? 'met' : 'MISSED'}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
}

function main(): void {
  const seed = readCatalogueSeed();
  const texts = seededNeedsModel().needs.flatMap((n) => n.triggers.slice(0, 4));
  // The same without the need classifier, to show what it costs to build and to answer.
  measure('seeded, no classifier', seed.services, texts, 0);
  measure('seeded', seed.services, texts);
  const grown = [...seed.services, ...districtVariants(seed, 2_000 - seed.services.length)];
  measure('2000', grown, texts);
}

main();
