import { redactPersonalData } from '../../text/redact';
import { wilsonLowerBound } from '../catalogue/service-stats';

/**
 * The rules of the catalogue-optimisation report (docs/reports.md): which services and
 * clusters become findings, and with what priority. Pure: the report service gathers the
 * numbers from rollups, these functions decide. Unit-tested in report-rules.test.ts.
 */

export enum FindingKind {
  ADD_SERVICE = 'ADD_SERVICE',
  IMPROVE_SERVICE = 'IMPROVE_SERVICE',
  RETIRE_SERVICE = 'RETIRE_SERVICE',
  MERGE_SERVICES = 'MERGE_SERVICES',
  EXPAND_DISTRICTS = 'EXPAND_DISTRICTS',
  PROMOTE_SERVICE = 'PROMOTE_SERVICE',
}

export enum FindingChange {
  NEW = 'NEW',
  PERSISTING = 'PERSISTING',
  RESOLVED = 'RESOLVED',
}

export const THRESHOLDS = {
  /** ADD_SERVICE: an unmet cluster with at least this many requests from this many citizens. */
  addMinRequests: 5,
  addMinCitizens: 3,
  /** IMPROVE_SERVICE: real use (views + uses in the period) of at least this much … */
  improveMinActivity: 10,
  /** … and a low vote score (at least this many votes, up share at most this) … */
  minVotes: 5,
  lowUpShare: 0.4,
  /** … or a low rating (at least this many ratings, mean at most this) … */
  minRatings: 3,
  lowRating: 2.5,
  /** … or many complaints (at least this many, and this share of the activity). */
  improveMinComplaints: 3,
  improveComplaintShare: 0.1,
  /** … or many bad 好差评 (at least this many ratings in the period, this share 不满意 or worse). */
  minSatisfactionRatings: 3,
  badSatisfactionShare: 0.4,
  /** RETIRE_SERVICE: no activity at all in the period and a low score (votes ≥ retireMinVotes). */
  retireMinVotes: 3,
  /**
   * MERGE_SERVICES: similarity of two published services (proposals/similarity.ts) at least this:
   * the seed's two cross-department duplicates score 0.827 and 0.859, the next pair (SS-0001 and
   * SS-0002, enrolment and claiming of one pension) 0.761.
   */
  mergeMinSimilarity: 0.79,
  /** EXPAND_DISTRICTS: signals on a district-limited service from districts it does not serve. */
  expandMinSignals: 5,
  expandMinCitizens: 3,
  /** PROMOTE_SERVICE: well rated (ratings ≥ promoteMinRatings, mean ≥ promoteMinRating) … */
  promoteMinRatings: 5,
  promoteMinRating: 4.3,
  /** … or well voted (votes ≥ minVotes, Wilson lower bound ≥ promoteMinVoteScore) … */
  promoteMinVoteScore: 0.6,
  /** … but rarely viewed: views + uses in the period at most this. */
  promoteMaxActivity: 3,
} as const;

/** How much each kind weighs in the priority, and the evidence at which it is 63% of its weight. */
export const PRIORITY = {
  ADD_SERVICE: { weight: 1.0, scale: 20 },
  IMPROVE_SERVICE: { weight: 0.9, scale: 30 },
  EXPAND_DISTRICTS: { weight: 0.8, scale: 20 },
  MERGE_SERVICES: { weight: 0.6, scale: 1 },
  PROMOTE_SERVICE: { weight: 0.5, scale: 10 },
  RETIRE_SERVICE: { weight: 0.4, scale: 10 },
} as const satisfies Record<FindingKind, { weight: number; scale: number }>;

/** 0 to 100: 100 × weight × (1 − e^(−evidence/scale)), rounded to 0.1. */
export function priorityOf(kind: FindingKind, evidence: number): number {
  const { weight, scale } = PRIORITY[kind];
  return Math.round(1000 * weight * (1 - Math.exp(-Math.max(0, evidence) / scale))) / 10;
}

/** The numbers of one published service that the rules read. */
export interface ServiceFacts {
  id: string;
  title: string;
  departmentId: string;
  districtCodes: string[];
  /** Published before the period started (a service younger than the period is never retired). */
  publishedBeforePeriod: boolean;
  views: number;
  uses: number;
  complaints: number;
  upvotes: number;
  downvotes: number;
  ratingCount: number;
  ratingSum: number;
  /** 好差评 in the period of a resolved request or complaint about it, or of a USE of it. */
  satisfactionRatings: number;
  /** Of those, 不满意 or 非常不满意. */
  badSatisfactionRatings: number;
}

export interface Metric {
  name: string;
  value: number;
}

/** A finding as the rules produce it; the service adds names and stores it. */
export interface RuleFinding {
  kind: FindingKind;
  priority: number;
  title: string;
  rationale: string;
  serviceIds: string[];
  districtCodes: string[];
  metrics: Metric[];
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const meanRating = (s: ServiceFacts) => (s.ratingCount === 0 ? null : s.ratingSum / s.ratingCount);
const upShare = (s: ServiceFacts) => (s.upvotes + s.downvotes === 0 ? null : s.upvotes / (s.upvotes + s.downvotes));

function lowVotes(s: ServiceFacts, minVotes: number): boolean {
  const share = upShare(s);
  return share !== null && s.upvotes + s.downvotes >= minVotes && share <= THRESHOLDS.lowUpShare;
}
function lowRating(s: ServiceFacts): boolean {
  const mean = meanRating(s);
  return mean !== null && s.ratingCount >= THRESHOLDS.minRatings && mean <= THRESHOLDS.lowRating;
}
function scoreMetrics(s: ServiceFacts): Metric[] {
  const metrics: Metric[] = [
    { name: 'upvotes', value: s.upvotes },
    { name: 'downvotes', value: s.downvotes },
    { name: 'voteScore', value: round(wilsonLowerBound(s.upvotes, s.downvotes)) },
    { name: 'ratingCount', value: s.ratingCount },
  ];
  const mean = meanRating(s);
  if (mean !== null) metrics.push({ name: 'ratingAverage', value: round(mean, 2) });
  return metrics;
}
const activityMetrics = (s: ServiceFacts): Metric[] => [
  { name: 'views', value: s.views },
  { name: 'uses', value: s.uses },
  { name: 'complaints', value: s.complaints },
  ...(s.satisfactionRatings > 0
    ? [
        { name: 'satisfactionRatings', value: s.satisfactionRatings },
        { name: 'badSatisfactionRatings', value: s.badSatisfactionRatings },
      ]
    : []),
];
/** Many 好差评 in the period, a large share of them bad. */
function badlyRated(s: ServiceFacts): boolean {
  return (
    s.satisfactionRatings >= THRESHOLDS.minSatisfactionRatings &&
    s.badSatisfactionRatings >= THRESHOLDS.badSatisfactionShare * s.satisfactionRatings
  );
}

/**
 * IMPROVE_SERVICE: real use, but a low vote score, a low rating or many complaints; or many
 * bad 好差评 (each one rates an outcome a citizen got, so they are real use of their own).
 */
export function improveFinding(s: ServiceFacts): RuleFinding | null {
  const activity = s.views + s.uses;
  const rated = badlyRated(s);
  if (activity < THRESHOLDS.improveMinActivity && !rated) return null;
  const reasons: string[] = [];
  if (rated) reasons.push(`本期 ${s.satisfactionRatings} 个好差评中有 ${s.badSatisfactionRatings} 个差评`);
  if (lowVotes(s, THRESHOLDS.minVotes)) reasons.push(`${s.upvotes + s.downvotes} 票中只有 ${s.upvotes} 票赞成`);
  if (lowRating(s)) reasons.push(`${s.ratingCount} 个评分平均只有 ${round(meanRating(s)!, 1)} 星`);
  if (s.complaints >= THRESHOLDS.improveMinComplaints && s.complaints >= THRESHOLDS.improveComplaintShare * activity) {
    reasons.push(`本期收到 ${s.complaints} 次投诉`);
  }
  if (reasons.length === 0) return null;
  return {
    kind: FindingKind.IMPROVE_SERVICE,
    priority: priorityOf(
      FindingKind.IMPROVE_SERVICE,
      s.uses + s.views / 2 + 2 * s.complaints + s.downvotes + 2 * s.badSatisfactionRatings,
    ),
    title: `改进「${s.title}」`,
    rationale: `「${s.title}」本期有 ${s.views} 次浏览、${s.uses} 次使用${activity >= THRESHOLDS.improveMinActivity ? '，群众确实在用' : ''}，但${reasons.join('，')}。建议主管部门查找办理中的堵点并改进。`,
    serviceIds: [s.id],
    districtCodes: [],
    metrics: [...activityMetrics(s), ...scoreMetrics(s)],
  };
}

/** RETIRE_SERVICE: no activity over the whole period, and a low score. */
export function retireFinding(s: ServiceFacts): RuleFinding | null {
  if (!s.publishedBeforePeriod || s.views + s.uses + s.complaints + s.satisfactionRatings > 0) return null;
  const votesLow = lowVotes(s, THRESHOLDS.retireMinVotes);
  const ratingLow = lowRating(s);
  if (!votesLow && !ratingLow) return null;
  const why = [
    votesLow ? `${s.upvotes + s.downvotes} 票中只有 ${s.upvotes} 票赞成` : null,
    ratingLow ? `平均评分 ${round(meanRating(s)!, 1)} 星` : null,
  ]
    .filter(Boolean)
    .join('，');
  return {
    kind: FindingKind.RETIRE_SERVICE,
    priority: priorityOf(FindingKind.RETIRE_SERVICE, s.downvotes + (ratingLow ? s.ratingCount : 0)),
    title: `考虑下线「${s.title}」`,
    rationale: `「${s.title}」本期没有任何浏览和使用，${why}。建议确认是否仍有必要保留，或与主管部门商议下线。`,
    serviceIds: [s.id],
    districtCodes: [],
    metrics: [...activityMetrics(s), ...scoreMetrics(s)],
  };
}

/** PROMOTE_SERVICE: well rated or well voted, but rarely viewed in the period. */
export function promoteFinding(s: ServiceFacts): RuleFinding | null {
  const activity = s.views + s.uses;
  if (activity > THRESHOLDS.promoteMaxActivity) return null;
  const mean = meanRating(s);
  const rated = mean !== null && s.ratingCount >= THRESHOLDS.promoteMinRatings && mean >= THRESHOLDS.promoteMinRating;
  const voted =
    s.upvotes + s.downvotes >= THRESHOLDS.minVotes &&
    wilsonLowerBound(s.upvotes, s.downvotes) >= THRESHOLDS.promoteMinVoteScore;
  if (!rated && !voted) return null;
  const praise = rated
    ? `${s.ratingCount} 个评分平均 ${round(mean!, 1)} 星`
    : `${s.upvotes + s.downvotes} 票中 ${s.upvotes} 票赞成`;
  return {
    kind: FindingKind.PROMOTE_SERVICE,
    priority: priorityOf(FindingKind.PROMOTE_SERVICE, (rated ? s.ratingCount : 0) + (voted ? s.upvotes : 0)),
    title: `推广「${s.title}」`,
    rationale: `「${s.title}」口碑很好（${praise}），但本期只有 ${activity} 次浏览和使用，知道的人太少。建议在首页、相关事项和窗口宣传中推荐。`,
    serviceIds: [s.id],
    districtCodes: [],
    metrics: [...activityMetrics(s), ...scoreMetrics(s)],
  };
}

/** Signals on one district-limited service from one district it does not serve. */
export interface OutsideDemand {
  serviceId: string;
  districtCode: string;
  signals: number;
  citizens: number;
}

/** EXPAND_DISTRICTS: enough demand from districts a district-limited service does not serve. */
export function expandFinding(
  s: ServiceFacts,
  outside: readonly OutsideDemand[],
  districtName: (code: string) => string,
): RuleFinding | null {
  if (s.districtCodes.length === 0) return null;
  const served = new Set(s.districtCodes);
  const rows = outside.filter((o) => o.serviceId === s.id && !served.has(o.districtCode));
  const signals = rows.reduce((sum, o) => sum + o.signals, 0);
  // Citizens are distinct per district; across districts they are summed (a citizen rarely moves).
  const citizens = rows.reduce((sum, o) => sum + o.citizens, 0);
  if (signals < THRESHOLDS.expandMinSignals || citizens < THRESHOLDS.expandMinCitizens) return null;
  const sorted = [...rows].sort((a, b) => b.signals - a.signals || a.districtCode.localeCompare(b.districtCode));
  const names = sorted.map((o) => `${districtName(o.districtCode)}（${o.signals} 次）`).join('、');
  return {
    kind: FindingKind.EXPAND_DISTRICTS,
    priority: priorityOf(FindingKind.EXPAND_DISTRICTS, signals),
    title: `把「${s.title}」扩大到更多区县`,
    rationale: `「${s.title}」只面向 ${s.districtCodes.map(districtName).join('、')}，但本期有 ${citizens} 位其他区县的群众关注或使用了它：${names}。建议评估在这些区县开通。`,
    serviceIds: [s.id],
    districtCodes: sorted.map((o) => o.districtCode),
    metrics: [
      { name: 'outsideSignals', value: signals },
      { name: 'outsideCitizens', value: citizens },
      { name: 'outsideDistricts', value: sorted.length },
    ],
  };
}

/**
 * Two district-limited services with no district in common are one service offered per
 * district (each citizen sees only their own), not duplicates.
 */
export function regionalVariants(
  a: Pick<ServiceFacts, 'districtCodes'>,
  b: Pick<ServiceFacts, 'districtCodes'>,
): boolean {
  if (a.districtCodes.length === 0 || b.districtCodes.length === 0) return false;
  const served = new Set(a.districtCodes);
  return !b.districtCodes.some((code) => served.has(code));
}

/** Whether two published services count as near-duplicates: similar enough, and not regional variants. */
export function isMergePair(a: ServiceFacts, b: ServiceFacts, similarity: number): boolean {
  return similarity >= THRESHOLDS.mergeMinSimilarity && !regionalVariants(a, b);
}

/**
 * Groups near-duplicate pairs into sets of services (connected components): a citywide
 * service and its district copies are one finding, not one per pair. Groups and their
 * members are sorted, so the same pairs give the same groups.
 */
export function mergeGroups(pairs: readonly { a: string; b: string }[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    groups.set(root, [...(groups.get(root) ?? []), id]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => x[0].localeCompare(y[0]));
}

/**
 * MERGE_SERVICES: published services so alike that citizens cannot tell them apart (a group of
 * two or more, see mergeGroups), with the highest similarity among their pairs.
 */
export function mergeFinding(
  group: readonly ServiceFacts[],
  similarity: number,
  departmentName: (id: string) => string,
): RuleFinding | null {
  if (group.length < 2 || similarity < THRESHOLDS.mergeMinSimilarity) return null;
  const members = [...group].sort((x, y) => x.id.localeCompare(y.id));
  const departments = [...new Set(members.map((m) => m.departmentId))];
  const crossDepartment = departments.length > 1;
  const owners = crossDepartment
    ? `分别由${departments.map(departmentName).join('、')}提供`
    : `都由${departmentName(departments[0])}提供`;
  const titles = members.map((m) => `「${m.title}」`);
  const uses = members.reduce((sum, m) => sum + m.uses, 0);
  const views = members.reduce((sum, m) => sum + m.views, 0);
  return {
    kind: FindingKind.MERGE_SERVICES,
    // Similarity above the floor, more across departments, plus the demand that is split.
    priority: priorityOf(
      FindingKind.MERGE_SERVICES,
      (similarity - THRESHOLDS.mergeMinSimilarity + 0.1) * (crossDepartment ? 10 : 5) + uses / 50,
    ),
    title: members.length === 2 ? `合并${titles[0]}与${titles[1]}` : `合并${titles[0]}等 ${members.length} 个相似事项`,
    rationale: `${titles.join('、')}内容高度相似（相似度最高 ${round(similarity, 2)}），${owners}。群众难以分辨该办哪一个，建议合并为一个事项${crossDepartment ? '，由牵头部门统一受理' : ''}。`,
    serviceIds: members.map((m) => m.id),
    districtCodes: [],
    metrics: [
      { name: 'similarity', value: round(similarity) },
      { name: 'crossDepartment', value: crossDepartment ? 1 : 0 },
      { name: 'services', value: members.length },
      { name: 'uses', value: uses },
      { name: 'views', value: views },
    ],
  };
}

/** An unmet-demand cluster as the rules read it. */
export interface ClusterFacts {
  id: string;
  label: string;
  requestCount: number;
  citizenCount: number;
  districtCodes: string[];
  sampleRequests: string[];
}

/** ADD_SERVICE: a large cluster of requests no published service meets. */
export function addFinding(
  c: ClusterFacts,
  departmentNames: string[],
  districtName: (code: string) => string,
): RuleFinding | null {
  if (c.requestCount < THRESHOLDS.addMinRequests || c.citizenCount < THRESHOLDS.addMinCitizens) return null;
  const where = c.districtCodes.slice(0, 3).map(districtName).join('、');
  const who =
    departmentNames.length > 0 ? `建议${departmentNames.join('、')}研究新增相应服务。` : '建议研究新增相应服务。';
  return {
    kind: FindingKind.ADD_SERVICE,
    priority: priorityOf(FindingKind.ADD_SERVICE, c.citizenCount + c.requestCount / 2),
    title: `新增服务：${c.label}`,
    rationale: `本期有 ${c.citizenCount} 位群众提出了 ${c.requestCount} 条「${c.label}」方面的需求${where ? `（主要来自${where}）` : ''}，现有服务都满足不了，例如「${c.sampleRequests[0] ?? c.label}」。${who}`,
    serviceIds: [],
    districtCodes: c.districtCodes,
    metrics: [
      { name: 'requests', value: c.requestCount },
      { name: 'citizens', value: c.citizenCount },
      { name: 'districts', value: c.districtCodes.length },
    ],
  };
}

/** The texts of a stored finding that may quote citizens: ADD_SERVICE's sample and its cluster's words. */
interface ShownTexts {
  title: string;
  rationale: string;
  cluster: { label: string; keywords: string[]; sampleRequests: string[] } | null;
}

/**
 * A stored finding as it is shown (GraphQL and exports): its texts redacted again, so that a
 * report stored under older redaction rules shows nothing the current rules hide
 * (src/text/redact.ts; redacting twice changes nothing).
 */
export function shownFinding<T extends ShownTexts>(finding: T): T {
  const { cluster } = finding;
  return {
    ...finding,
    title: redactPersonalData(finding.title),
    rationale: redactPersonalData(finding.rationale),
    cluster: cluster && {
      ...cluster,
      label: redactPersonalData(cluster.label),
      keywords: cluster.keywords.map((k) => redactPersonalData(k)),
      sampleRequests: cluster.sampleRequests.map((s) => redactPersonalData(s)),
    },
  };
}

/** What identifies a finding across reports: its kind and its services (or its cluster). */
export function findingKey(kind: FindingKind, serviceIds: readonly string[], clusterId?: string | null): string {
  return `${kind}:${clusterId ?? [...serviceIds].sort().join('+')}`;
}

/** Marks findings new or persisting against the previous report, and returns the ones resolved since. */
export function compareFindings<T extends { key: string }>(
  current: readonly T[],
  previous: readonly T[] | null,
): { findings: (T & { change: FindingChange })[]; resolved: (T & { change: FindingChange })[] } {
  const before = new Set((previous ?? []).map((f) => f.key));
  const now = new Set(current.map((f) => f.key));
  return {
    findings: current.map((f) => ({ ...f, change: before.has(f.key) ? FindingChange.PERSISTING : FindingChange.NEW })),
    resolved: (previous ?? []).filter((f) => !now.has(f.key)).map((f) => ({ ...f, change: FindingChange.RESOLVED })),
  };
}

/** Highest priority first; ties by kind, then key, so a report's order is stable. */
export function sortFindings<T extends { priority: number; kind: string; key: string }>(findings: T[]): T[] {
  return findings.sort((a, b) => b.priority - a.priority || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
}
