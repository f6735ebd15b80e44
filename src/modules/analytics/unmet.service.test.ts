import { randomUUID } from 'node:crypto';
import { createRng, UNMET_NEEDS, type Rng } from '../../../seeds/population';
import { districtCodes, openTestDatabase, type TestDatabase } from '../../../test/helpers/test-database';
import { redactPersonalData } from '../../text/redact';
import { catalogueSnapshot, type CatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from '../matching/catalogue-index';
import { needOfRequests } from '../needs/cluster-need';
import { seededNeedsModel } from '../needs/needs-data';
import { topicVocabulary, type TopicVocabulary } from './topic-vocabulary';
import type { UnmetRequest } from './unmet.queries';
import { describeUnmetDemand } from './unmet.service';

/**
 * Wordings of unmet requests: the population's gaps, the end-to-end tests' (in both scripts), a
 * topic of no known need, rephrasings with personal data (redacted in samples, dropped from
 * keywords) and requests that name catalogue services.
 */
const TEXTS = [
  ...UNMET_NEEDS.flatMap((n) => n.texts),
  '電動自行車怎麼上牌照',
  '新买的电瓶车怎么挂牌',
  '下水道堵了',
  '楼下下水道堵了没人管',
  '下水道堵塞往外冒水',
  '我家的狗走丢了怎么办',
  '寵物走失去哪裏登記',
  '想找婚礼摄影师拍婚礼',
  '婚礼摄影跟拍哪里找',
  '婚礼摄影师预约',
  '电动车上牌在哪里办 电话13812345678',
  '下水道堵了 联系我 13912345678 ',
  '狗丢了去哪里登记，微信 wxid_abc123',
  '公积金提取',
  '社保卡补办',
  '办理居住证需要什么材料',
];
/** Needs stored with some requests (as submitRequest stores them), one of them no longer in the data. */
const STORED = ['lost-pet', 'e-bike-registration', 'blocked-sewer', 'no-longer-a-need'];

const pick = <T>(rng: Rng, values: readonly T[]): T => values[Math.floor(rng() * values.length)];

/** A planted window of unmet requests: wordings repeated as a city repeats them, some with their need stored. */
function plantedRequests(seed: number, districts: string[]): UnmetRequest[] {
  const rng = createRng('unmet-need-groups', seed);
  const citizens = Array.from({ length: 40 }, () => randomUUID());
  const rows: UnmetRequest[] = [];
  for (const text of TEXTS) {
    const repeats = 1 + Math.floor(rng() ** 2 * 60);
    for (let i = 0; i < repeats; i += 1) {
      rows.push({
        citizenId: pick(rng, citizens),
        text,
        districtCode: pick(rng, districts),
        categoryId: null,
        matchedServiceId: null,
        matchScore: null,
        kind: rng() < 0.3 ? 'SEARCH' : 'REQUEST',
        needCode: rng() < 0.2 ? pick(rng, STORED) : null,
      });
    }
  }
  // In the order of their times, which mixes the wordings.
  return rows
    .map((row) => ({ row, at: rng() }))
    .sort((a, b) => a.at - b.at)
    .map(({ row }) => row);
}

let t: TestDatabase;
let snapshot: CatalogueSnapshot;
let vocabulary: TopicVocabulary;
let districts: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  snapshot = await catalogueSnapshot(t.db, t.db.manager);
  vocabulary = await topicVocabulary(t.db.manager, snapshot);
  districts = await districtCodes(t.db, 3);
});
afterAll(async () => {
  await t?.close();
});

describe('unmet demand: each wording read once per cluster', () => {
  it.each([1, 2, 3, 4])(
    'gives every cluster the need and samples of reading each request one by one (planted window %i)',
    (seed) => {
      const rows = plantedRequests(seed, districts);
      const model = seededNeedsModel();
      const understander = catalogueIndexOf(snapshot).understander();
      const clusters = describeUnmetDemand(rows, vocabulary, snapshot, 100);
      // The comparison covers most of the window (a request without keywords, or alone on a
      // keyword no cluster shares, is in none).
      expect(clusters.reduce((sum, c) => sum + c.summary.requests.length, 0)).toBeGreaterThan(0.8 * rows.length);
      for (const { summary, need, samples } of clusters) {
        // The reading of before: each request's need (stored, else recognised in its text) counted one by one.
        const perRequest = needOfRequests(
          summary.requests.map((r) => (r.needCode ? (model.need(r.needCode) ?? null) : understander.topNeed(r.text))),
        );
        expect(need?.code ?? null).toBe(perRequest?.code ?? null);
        const counts = new Map<string, number>();
        for (const r of summary.requests) {
          const shown = redactPersonalData(r.text).trim();
          counts.set(shown, (counts.get(shown) ?? 0) + 1);
        }
        const perRequestSamples = [...counts]
          .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, 5)
          .map(([text]) => text);
        expect(samples).toEqual(perRequestSamples);
      }
      // Not vacuous: needs recognised and stored, clusters of no need, redacted samples.
      const needs = clusters.map((c) => c.need?.code ?? null);
      expect(needs).toEqual(expect.arrayContaining(['e-bike-registration', 'blocked-sewer', 'lost-pet']));
      expect(clusters.flatMap((c) => c.samples).some((s) => s.includes('[电话]'))).toBe(true);
    },
  );
});

describe('unmet demand: texts that express no need', () => {
  it('forms no cluster of them and adds them to none, the clusters of the needs unchanged', () => {
    const rows = plantedRequests(1, districts);
    const noise = ['你好', '帮帮我', '测试一下', 'null', '<script>alert(1)</script>', '哈哈哈哈', 'DROP TABLE service'];
    const noisy = rows.flatMap((row, i) => (i % 3 === 0 ? [row, { ...row, text: noise[i % noise.length] }] : [row]));
    const clusters = describeUnmetDemand(noisy, vocabulary, snapshot, 100);
    expect(clusters.flatMap((c) => c.summary.requests).filter((r) => noise.includes(r.text))).toEqual([]);
    const ofRows = (cs: typeof clusters) => cs.map((c) => [c.summary.id, c.summary.requests.length]);
    expect(ofRows(clusters)).toEqual(ofRows(describeUnmetDemand(rows, vocabulary, snapshot, 100)));
  });
});

describe('unmet demand: a request whose words leave no keyword', () => {
  const row = (text: string, needCode: string | null): UnmetRequest => ({
    citizenId: randomUUID(),
    text,
    districtCode: districts[0],
    categoryId: null,
    matchedServiceId: null,
    matchScore: null,
    kind: 'REQUEST',
    needCode,
  });

  it('is clustered by the need read in it, with the requests that name that need in other words', () => {
    const rows = [
      row('我们村的路坏了好几年了', 'rural-road-repair'),
      row('我们村的路烂了好多年', 'rural-road-repair'),
      row('农村道路损坏没人修', 'rural-road-repair'),
    ];
    expect(rows.slice(0, 2).map((r) => vocabulary.keywordsOf(r.text))).toEqual([[], []]);
    const clusters = describeUnmetDemand(rows, vocabulary, snapshot, 10);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].summary.requests).toHaveLength(3);
    expect(clusters[0].need?.code).toBe('rural-road-repair');
    // Without a need read, such a request is in no cluster.
    expect(describeUnmetDemand([row('我们村的路坏了好几年了', null)], vocabulary, snapshot, 10)).toEqual([]);
  });

  it('keeps two needs whose names share their only keyword apart (养犬登记 and 寻找走失宠物: 宠物)', () => {
    const rows = [
      row('狗狗要办证', 'pet-registration'),
      row('养狗要去哪里登记', 'pet-registration'),
      row('我家的狗走丢了怎么办', 'lost-pet'),
      row('寵物走失去哪裏登記', 'lost-pet'),
      row('猫丢了', 'lost-pet'),
    ];
    const clusters = describeUnmetDemand(rows, vocabulary, snapshot, 10);
    const needsOf = (c: (typeof clusters)[number]) => [...new Set(c.summary.requests.map((r) => r.needCode))];
    expect(clusters.map((c) => [c.need?.code, needsOf(c), c.summary.requests.length])).toEqual([
      ['lost-pet', ['lost-pet'], 3],
      ['pet-registration', ['pet-registration'], 2],
    ]);
    expect(new Set(clusters.map((c) => c.summary.id)).size).toBe(2);
  });
});
