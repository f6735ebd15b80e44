import { redactPersonalData, withoutPersonalData } from '../../text/redact';
import type { Context } from '../../core/context';
import { checkPageSize } from '../../core/pagination';
import type { Category } from '../categories/category.entity';
import type { ServiceOffering } from '../catalogue/service.entity';
import type { District } from '../districts/district.entity';
import { catalogueSnapshot, type CatalogueSnapshot } from '../catalogue/catalogue-snapshot';
import { catalogueIndexOf } from '../matching/catalogue-index';
import type { UnmetDemandCluster } from './analytics.types';
import { clusterByKeywords, clusterId, clusterKeywords, clusterLabel } from './clustering';
import { demandWindow } from './periods';
import { topicVocabulary, type TopicVocabulary } from './topic-vocabulary';
import { requireDistrict } from '../districts/districts.service';
import { categoryOfNeed, needOfGroups } from '../needs/cluster-need';
import { seededNeedsModel, type Need as NeedData, type NeedsModel } from '../needs/needs-data';
import { Need } from '../needs/needs.types';
import { requirePolicy } from '../../core/policy';
import { analyticsPolicy } from './analytics.policy';
import { readUnmetRequests, type UnmetRequest } from './unmet.queries';
import { expressesNoNeed } from '../../text/non-requests';

const MAX_SAMPLES = 5;

/** The most common of the values (ties: the first in `order`); null for none. */
function mostCommon<T>(values: Iterable<T | null>, order: (a: T, b: T) => number): T | null {
  const counts = new Map<T, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && order(value, best) < 0)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface Summary {
  id: string;
  keywords: string[];
  requests: UnmetRequest[];
  citizenCount: number;
}

/** A cluster's content before its category, districts and service are loaded. */
export interface DescribedCluster {
  summary: Summary;
  need: NeedData | null;
  categoryId: string | null;
  /** District codes with their requests, most first. */
  districts: [string, number][];
  samples: string[];
  closest: { serviceId: string; score: number | null } | null;
}

/**
 * Free-text requests and searches of the window that no published service met (REQUEST and
 * SEARCH signals with unmet = true, read through their partial indexes), clustered by topic
 * keywords; largest first. Each cluster says how many of its requests were searches. Texts that
 * express no need (greetings, tests, gibberish, markup: `expressesNoNeed`) are left out.
 */
export async function unmetDemand(
  ctx: Context,
  args: { from: Date; to: Date; districtCode: string | null; first: number },
): Promise<UnmetDemandCluster[]> {
  requirePolicy(ctx, analyticsPolicy.unmetDemand);
  checkPageSize(args.first);
  demandWindow(args.from, args.to, 'unmetDemand');
  if (args.districtCode) await requireDistrict(ctx, args.districtCode, 'districtCode');
  const rows = await readUnmetRequests(ctx.db, args.from, args.to, args.districtCode);
  if (rows.length === 0 || args.first === 0) return [];

  const snapshot = await catalogueSnapshot(ctx.dataSource, ctx.db);
  const vocabulary = await topicVocabulary(ctx.db, snapshot);
  return withLoadedNames(ctx, describeUnmetDemand(rows, vocabulary, snapshot, args.first));
}

/**
 * The `first` largest topics of the unmet requests, each described (need, category, districts,
 * samples, closest service) before names are loaded; pure but for the catalogue index's memos.
 */
export function describeUnmetDemand(
  rows: UnmetRequest[],
  vocabulary: TopicVocabulary,
  snapshot: CatalogueSnapshot,
  first: number,
): DescribedCluster[] {
  const model = seededNeedsModel();
  const categoryByCode = new Map([...snapshot.services.values()].map((s) => [String(s.row.code), s.categoryId]));
  return largestTopics(rows, vocabulary, model, first).map((summary) =>
    describeCluster(summary, snapshot, model, categoryByCode),
  );
}

/** The requests whose text expresses a need (`expressesNoNeed`, which remembers each text's verdict). */
export function needRequests<T extends { text: string }>(rows: readonly T[]): T[] {
  return rows.filter(({ text }) => !expressesNoNeed(text));
}

/**
 * The requests that express a need clustered by their topic keywords, the `first` largest (by
 * requests, then citizens, then id). Clusters whose describing keywords coincide are one topic
 * (and one id). A request in which a need was read is clustered by that need's keywords, so
 * that its wordings are one topic, whatever their own words (我们村的路坏了好几年了 leaves no
 * keyword: single characters and a span of time); one without a need, by its own words.
 */
function largestTopics(
  allRows: UnmetRequest[],
  vocabulary: TopicVocabulary,
  model: NeedsModel,
  first: number,
): Summary[] {
  const rows = needRequests(allRows);
  // Personal data never becomes a keyword (a handle or a passport number would be one).
  const keywords = rows.map((r) => {
    // One need's wordings are one topic (路灯不亮 and 路灯坏了没人修 share no keyword of their own).
    const need = r.needCode ? model.need(r.needCode) : undefined;
    const byNeed = need ? vocabulary.keywordsOf(need.name) : [];
    return byNeed.length > 0 ? byNeed : vocabulary.keywordsOf(withoutPersonalData(r.text));
  });
  const summaries = new Map<string, Summary>();
  const needOfSummary = new Map<string, string | null>();
  const needOf = (i: number) => (rows[i].needCode && model.need(rows[i].needCode) ? rows[i].needCode : null);
  for (const clustered of clusterByKeywords(keywords, vocabulary.weightOf)) {
    for (const members of splitByNeed(clustered, needOf)) {
      const described = clusterKeywords(
        members.map((i) => keywords[i]),
        vocabulary.weightOf,
      );
      const need = needOf(members[0]);
      let id = clusterId(described);
      // Two needs described by the same keywords (养犬登记 and 寻找走失宠物: 宠物) are two topics.
      const other = needOfSummary.get(id);
      if (need && other && other !== need) id = clusterId([...described, `need:${need}`]);
      const summary = summaries.get(id);
      if (summary) summary.requests.push(...members.map((i) => rows[i]));
      else {
        summaries.set(id, { id, keywords: described, requests: members.map((i) => rows[i]), citizenCount: 0 });
        needOfSummary.set(id, need);
      }
    }
  }
  for (const summary of summaries.values())
    summary.citizenCount = new Set(summary.requests.map((r) => r.citizenId)).size;
  return [...summaries.values()]
    .sort((a, b) => b.requests.length - a.requests.length || b.citizenCount - a.citizenCount || byString(a.id, b.id))
    .slice(0, first);
}

/**
 * A keyword cluster's requests, one part per need read in them (a need's name may reduce to a
 * keyword another need shares: 养犬登记 and 寻找走失宠物 to 宠物), largest first; the requests
 * without a need join the largest part (ties by need code).
 */
function splitByNeed(members: readonly number[], needOf: (index: number) => string | null): number[][] {
  const byNeed = new Map<string, number[]>();
  const without: number[] = [];
  for (const i of members) {
    const need = needOf(i);
    if (need === null) without.push(i);
    else byNeed.set(need, [...(byNeed.get(need) ?? []), i]);
  }
  if (byNeed.size <= 1) return [[...members]];
  const parts = [...byNeed].sort(([a, x], [b, y]) => y.length - x.length || byString(a, b)).map(([, part]) => part);
  parts[0] = [...parts[0], ...without].sort((x, y) => x - y);
  return parts;
}

/** Counts of the values, most first (ties by value). */
function countsMostFirst(values: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort(([a, ca], [b, cb]) => cb - ca || byString(a, b));
}

/** A cluster's need, category, districts, sample texts (redacted) and closest service. */
function describeCluster(
  summary: Summary,
  snapshot: CatalogueSnapshot,
  model: NeedsModel,
  categoryByCode: Map<string, string>,
): DescribedCluster {
  const { requests } = summary;
  // The understander is built on first use: requests that all carry their need never need it.
  const need = clusterNeed(requests, model, (text) => catalogueIndexOf(snapshot).understander().topNeed(text));
  return {
    summary,
    need,
    categoryId:
      mostCommon(
        requests.map((r) => r.categoryId),
        byString,
      ) ?? (need ? categoryOfNeed(need, model, (code) => categoryByCode.get(code)) : null),
    districts: countsMostFirst(requests.map((r) => r.districtCode)),
    samples: sampleTexts(requests),
    closest: closestService(summary, snapshot),
  };
}

/**
 * The need of a cluster's requests (`needOfGroups`): the need stored with each request, read
 * again from the text only where none was stored, each distinct text read once with its
 * number of requests (`topNeed` is a pure function of the text).
 */
export function clusterNeed(
  requests: readonly Pick<UnmetRequest, 'text' | 'needCode'>[],
  model: NeedsModel,
  topNeed: (text: string) => NeedData | null,
): NeedData | null {
  const stored = new Map<string, number>();
  const texts = new Map<string, number>();
  for (const { text, needCode } of requests) {
    if (needCode) stored.set(needCode, (stored.get(needCode) ?? 0) + 1);
    else texts.set(text, (texts.get(text) ?? 0) + 1);
  }
  return needOfGroups([
    ...[...stored].map(([code, count]) => ({ need: model.need(code) ?? null, count })),
    ...[...texts].map(([text, count]) => ({ need: topNeed(text), count })),
  ]);
}

/** Up to MAX_SAMPLES distinct texts of the requests, redacted, most frequent first (each distinct text redacted once). */
function sampleTexts(requests: readonly UnmetRequest[]): string[] {
  const texts = new Map<string, number>();
  for (const { text } of requests) texts.set(text, (texts.get(text) ?? 0) + 1);
  const redacted = new Map<string, number>();
  for (const [text, count] of texts) {
    const shown = redactPersonalData(text).trim();
    redacted.set(shown, (redacted.get(shown) ?? 0) + count);
  }
  return [...redacted]
    .sort(([a, ca], [b, cb]) => cb - ca || byString(a, b))
    .slice(0, MAX_SAMPLES)
    .map(([text]) => text);
}

/**
 * The service most of the cluster's requests came closest to, with their mean score; for
 * requests that came close to none, the matcher's best for the cluster's keywords.
 */
function closestService(summary: Summary, snapshot: CatalogueSnapshot): DescribedCluster['closest'] {
  const { requests } = summary;
  const closestId = mostCommon(
    requests.map((r) => r.matchedServiceId),
    byString,
  );
  if (closestId) {
    const closestScores = requests
      .filter((r) => r.matchedServiceId === closestId && r.matchScore !== null)
      .map((r) => r.matchScore!);
    return {
      serviceId: closestId,
      score: closestScores.length ? closestScores.reduce((s, x) => s + x, 0) / closestScores.length : null,
    };
  }
  const [match] = catalogueIndexOf(snapshot).matcher.match(summary.keywords.join(' '), { limit: 1 });
  return match ? { serviceId: match.serviceId, score: match.score } : null;
}

/** The clusters as the API answers them, their categories, districts and services loaded (those that exist). */
async function withLoadedNames(ctx: Context, clusters: DescribedCluster[]): Promise<UnmetDemandCluster[]> {
  const [categories, districts, services] = await Promise.all([
    ctx.loaders.category.loadMany([...new Set(clusters.flatMap((c) => (c.categoryId ? [c.categoryId] : [])))]),
    ctx.loaders.district.loadMany([...new Set(clusters.flatMap((c) => c.districts.map(([code]) => code)))]),
    ctx.loaders.service.loadMany([...new Set(clusters.flatMap((c) => (c.closest ? [c.closest.serviceId] : [])))]),
  ]);
  const found = <T, K>(values: (T | undefined | null)[], key: (v: T) => K) =>
    new Map(values.flatMap((v) => (v ? [[key(v), v] as const] : [])));
  const categoryById = found<Category, string>(categories, (c) => c.id);
  const districtByCode = found<District, string>(districts, (d) => d.code);
  const serviceById = found<ServiceOffering, string>(services, (s) => s.id);

  return clusters.map(({ summary, need, categoryId, districts: counts, samples, closest }) => {
    const service = closest ? (serviceById.get(closest.serviceId) ?? null) : null;
    return {
      id: summary.id,
      label: clusterLabel(summary.keywords, need?.name ?? null),
      keywords: summary.keywords,
      requestCount: summary.requests.length,
      searchCount: summary.requests.filter((r) => r.kind === 'SEARCH').length,
      citizenCount: summary.citizenCount,
      category: categoryId ? (categoryById.get(categoryId) ?? null) : null,
      need: need ? Need.of(need) : null,
      districts: counts.flatMap(([code, count]) => {
        const district = districtByCode.get(code);
        return district ? [{ district, count }] : [];
      }),
      sampleRequests: samples,
      closestService: service,
      closestScore: service ? closest!.score : null,
    };
  });
}
