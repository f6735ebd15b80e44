// The planner console: sign in with a token, then demand trends, unmet demand by district,
// a map of demand and unmet demand by district, the latest catalogue report, the proposals
// waiting for review and department performance, from /graphql.
import {
  ApiError,
  downloadReport,
  graphql,
  LATEST_REPORT_QUERY,
  MAP_QUERY,
  PENDING_PROPOSALS_QUERY,
  PERFORMANCE_QUERY,
  SESSION_QUERY,
  TRENDS_QUERY,
  UNMET_QUERY,
  type AgeBand,
  type CatalogueReport,
  type Category,
  type DemandDimension,
  type DemandTrend,
  type DepartmentPerformance,
  type District,
  type Finding,
  type Granularity,
  type MapData,
  type PendingProposal,
  type Role,
  type SessionData,
  type UnmetCluster,
} from './api';
import { createChart, trendsOption, unmetOption, type Chart } from './charts';
import { byId, h, replaceChildren, setOptions } from './dom';
import { mapOption, type MapMeasure } from './map';
import {
  cityDate,
  cityDateTime,
  formatNumber,
  formatPercent,
  label,
  lang,
  setLang,
  t,
  tEnum,
  titleOf,
  type MessageKey,
} from './i18n';

const TOKEN_KEY = 'minsheng.console.token';
const CITY_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai, no daylight saving
const DAY_MS = 86_400_000;

const WINDOWS = {
  '30d': { days: 30, granularity: 'DAY' },
  '12w': { days: 84, granularity: 'WEEK' },
  '26w': { days: 182, granularity: 'WEEK' },
  '12m': { days: 365, granularity: 'MONTH' },
} as const satisfies Record<string, { days: number; granularity: Granularity }>;
type WindowKey = keyof typeof WINDOWS;
const DEFAULT_WINDOW: WindowKey = '12w';
const SPLITS: DemandDimension[] = ['KIND', 'CATEGORY', 'DISTRICT', 'AGE_BAND'];
const AGE_BANDS: AgeBand[] = ['CHILD', 'YOUTH', 'ADULT', 'SENIOR'];
const SAMPLES_SHOWN = 3;
const CLUSTERS_LISTED = 5;
const MAP_MEASURES: MapMeasure[] = ['demand', 'unmet'];

type Status = 'loading' | 'ready' | 'empty' | 'error';

/** One section of the page: its status (data-status, which the browser test waits on) and error line. */
class Panel {
  readonly root: HTMLElement;
  private readonly errorLine: HTMLElement;
  private sequence = 0;
  error: unknown = null;

  constructor(id: string) {
    this.root = byId(id);
    this.errorLine = this.root.querySelector<HTMLElement>('.panel-error') ?? h('p');
  }

  /** Starts a load; the returned check says whether it is still the latest one. */
  begin(): () => boolean {
    const run = ++this.sequence;
    this.setStatus('loading');
    return () => run === this.sequence;
  }

  setStatus(status: Status): void {
    this.root.dataset.status = status;
  }

  fail(error: unknown): void {
    this.error = error;
    this.renderError();
    this.setStatus('error');
  }

  clearError(): void {
    this.error = null;
    this.renderError();
  }

  renderError(): void {
    this.errorLine.hidden = this.error === null;
    this.errorLine.textContent = this.error === null ? '' : describeError(this.error);
  }
}

const state = {
  token: null as string | null,
  role: null as Role | null,
  categories: [] as Category[],
  districts: [] as District[],
  trends: null as DemandTrend[] | null,
  trendsSplit: null as DemandDimension | null,
  trendsGranularity: 'WEEK' as Granularity,
  clusters: null as UnmetCluster[] | null,
  map: null as Record<MapMeasure, Map<string, number>> | null,
  report: undefined as CatalogueReport | null | undefined,
  proposals: null as { totalCount: number; items: PendingProposal[] } | null,
  performance: null as DepartmentPerformance[] | null,
  signInError: null as unknown,
};

const panels = {
  trends: new Panel('trends'),
  unmet: new Panel('unmet'),
  map: new Panel('map'),
  report: new Panel('report'),
  proposals: new Panel('proposals'),
  performance: new Panel('performance'),
};

let trendsChart: Chart | null = null;
let unmetChart: Chart | null = null;
let mapChart: Chart | null = null;

const filters = {
  window: () => byId<HTMLSelectElement>('filter-window'),
  category: () => byId<HTMLSelectElement>('filter-category'),
  district: () => byId<HTMLSelectElement>('filter-district'),
  ageBand: () => byId<HTMLSelectElement>('filter-age-band'),
  split: () => byId<HTMLSelectElement>('filter-split'),
  mapMeasure: () => byId<HTMLSelectElement>('map-measure'),
};

/** A message of the page itself (not from the API), kept as a key so it follows the language. */
class PageMessage {
  constructor(readonly key: MessageKey) {}
}

function describeError(error: unknown): string {
  if (error instanceof PageMessage) return t(error.key);
  if (!(error instanceof ApiError))
    return `${t('error.other')}: ${error instanceof Error ? error.message : String(error)}`;
  const known: Record<string, MessageKey> = {
    UNAUTHENTICATED: 'error.UNAUTHENTICATED',
    FORBIDDEN: 'error.FORBIDDEN',
    RATE_LIMITED: 'error.RATE_LIMITED',
    NETWORK: 'error.NETWORK',
  };
  const role = state.role ? `${tEnum('role', state.role)}, ${state.role}` : '?';
  const text = known[error.code] ? t(known[error.code], { role }) : `${t('error.other')}: ${error.message}`;
  return `${text} ${t('errorCode', { code: error.code })}`;
}

// ---- Window and filters ----

/** The chosen window: from N city days ago to the end of today in the city. */
function currentWindow(): { from: string; to: string; granularity: Granularity } {
  const choice = WINDOWS[filters.window().value as WindowKey] ?? WINDOWS[DEFAULT_WINDOW];
  const today = cityDate(new Date().toISOString());
  const [year, month, day] = today.split('-').map(Number);
  const end = Date.UTC(year, month - 1, day + 1) - CITY_OFFSET_MS;
  return {
    from: new Date(end - choice.days * DAY_MS).toISOString(),
    to: new Date(end).toISOString(),
    granularity: choice.granularity,
  };
}

function fillFilterOptions(): void {
  const windowSelect = filters.window();
  const firstFill = windowSelect.options.length === 0;
  setOptions(
    windowSelect,
    (Object.keys(WINDOWS) as WindowKey[]).map((key) => ({ value: key, text: t(`window.${key}` as MessageKey) })),
  );
  if (firstFill) windowSelect.value = DEFAULT_WINDOW;
  const parents = state.categories.filter((c) => !c.parent);
  setOptions(filters.category(), [
    { value: '', text: t('all') },
    ...parents.flatMap((parent) => [
      { value: parent.code, text: label(parent) },
      ...state.categories
        .filter((c) => c.parent?.code === parent.code)
        .map((c) => ({ value: c.code, text: `\u3000${label(c)}` })),
    ]),
  ]);
  setOptions(filters.district(), [
    { value: '', text: t('allCity') },
    ...state.districts.map((d) => ({ value: d.code, text: label(d) })),
  ]);
  setOptions(filters.ageBand(), [
    { value: '', text: t('all') },
    ...AGE_BANDS.map((band) => ({ value: band, text: tEnum('ageBand', band) })),
  ]);
  const split = filters.split();
  const hadSplit = split.options.length > 0;
  setOptions(split, [
    { value: '', text: t('none') },
    ...SPLITS.map((d) => ({ value: d, text: tEnum('dimension', d) })),
  ]);
  if (!hadSplit) split.value = 'KIND';
  const measure = filters.mapMeasure();
  const chosen = measure.value || 'demand';
  setOptions(
    measure,
    MAP_MEASURES.map((m) => ({ value: m, text: t(`mapMeasure.${m}` as MessageKey) })),
  );
  measure.value = chosen;
}

// ---- Loading ----

async function loadTrends(): Promise<void> {
  const token = state.token;
  if (!token) return;
  const current = panels.trends.begin();
  const range = currentWindow();
  const split = (filters.split().value || null) as DemandDimension | null;
  const filter = {
    from: range.from,
    to: range.to,
    categoryCode: filters.category().value || null,
    districtCode: filters.district().value || null,
    ageBand: filters.ageBand().value || null,
  };
  try {
    const data = await graphql<{ demandTrends: DemandTrend[] }>(token, TRENDS_QUERY, {
      filter,
      granularity: range.granularity,
      groupBy: split ? [split] : [],
    });
    if (!current()) return;
    state.trends = data.demandTrends;
    state.trendsSplit = split;
    state.trendsGranularity = range.granularity;
    panels.trends.clearError();
    renderTrends();
  } catch (error) {
    if (current()) handleError(panels.trends, error);
  }
}

async function loadUnmet(): Promise<void> {
  const token = state.token;
  if (!token) return;
  const current = panels.unmet.begin();
  const range = currentWindow();
  try {
    const data = await graphql<{ unmetDemand: UnmetCluster[] }>(token, UNMET_QUERY, {
      from: range.from,
      to: range.to,
      districtCode: filters.district().value || null,
    });
    if (!current()) return;
    state.clusters = data.unmetDemand;
    panels.unmet.clearError();
    renderUnmet();
  } catch (error) {
    if (current()) handleError(panels.unmet, error);
  }
}

/** Signals by district (category and age filters apply; the map is the district split) and unmet requests by district. */
async function loadMap(): Promise<void> {
  const token = state.token;
  if (!token) return;
  const current = panels.map.begin();
  const range = currentWindow();
  const filter = {
    from: range.from,
    to: range.to,
    categoryCode: filters.category().value || null,
    ageBand: filters.ageBand().value || null,
  };
  try {
    const data = await graphql<MapData>(token, MAP_QUERY, {
      filter,
      granularity: range.granularity,
      from: range.from,
      to: range.to,
    });
    if (!current()) return;
    const demand = new Map<string, number>();
    for (const trend of data.demandTrends) {
      if (trend.district) demand.set(trend.district.code, (demand.get(trend.district.code) ?? 0) + trend.total);
    }
    const unmet = new Map<string, number>();
    for (const cluster of data.unmetDemand) {
      for (const { district, count } of cluster.districts)
        unmet.set(district.code, (unmet.get(district.code) ?? 0) + count);
    }
    state.map = { demand, unmet };
    panels.map.clearError();
    renderMap();
  } catch (error) {
    if (current()) handleError(panels.map, error);
  }
}

async function loadReport(): Promise<void> {
  const token = state.token;
  if (!token) return;
  const current = panels.report.begin();
  try {
    const data = await graphql<{ catalogueReports: { edges: { node: CatalogueReport }[] } }>(
      token,
      LATEST_REPORT_QUERY,
    );
    if (!current()) return;
    state.report = data.catalogueReports.edges[0]?.node ?? null;
    panels.report.clearError();
    renderReport();
  } catch (error) {
    if (current()) handleError(panels.report, error);
  }
}

async function loadProposals(): Promise<void> {
  const token = state.token;
  if (!token) return;
  const current = panels.proposals.begin();
  try {
    const data = await graphql<{ proposals: { totalCount: number; edges: { node: PendingProposal }[] } }>(
      token,
      PENDING_PROPOSALS_QUERY,
    );
    if (!current()) return;
    state.proposals = { totalCount: data.proposals.totalCount, items: data.proposals.edges.map((e) => e.node) };
    panels.proposals.clearError();
    renderProposals();
  } catch (error) {
    if (current()) handleError(panels.proposals, error);
  }
}

/** Department performance is for planners and administrators; others do not see the panel. */
const PERFORMANCE_ROLES: Role[] = ['PLANNER', 'ADMIN'];

async function loadPerformance(): Promise<void> {
  const token = state.token;
  if (!token) return;
  panels.performance.root.hidden = !state.role || !PERFORMANCE_ROLES.includes(state.role);
  if (panels.performance.root.hidden) return;
  const current = panels.performance.begin();
  const range = currentWindow();
  try {
    const data = await graphql<{ departmentPerformance: DepartmentPerformance[] }>(token, PERFORMANCE_QUERY, {
      from: range.from,
      to: range.to,
    });
    if (!current()) return;
    state.performance = data.departmentPerformance;
    panels.performance.clearError();
    renderPerformance();
  } catch (error) {
    if (current()) handleError(panels.performance, error);
  }
}

function loadEverything(): void {
  byId('banner').hidden = true;
  void loadPerformance();
  void loadTrends();
  void loadUnmet();
  void loadMap();
  void loadReport();
  void loadProposals();
}

function handleError(panel: Panel, error: unknown): void {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
    signOut(error);
    return;
  }
  panel.fail(error);
  if (error instanceof ApiError && error.code === 'FORBIDDEN') {
    const banner = byId('banner');
    banner.textContent = describeError(error);
    banner.hidden = false;
  }
}

// ---- Rendering ----

function renderTrends(): void {
  const trends = state.trends;
  if (!trends) return;
  const total = trends.reduce((sum, trend) => sum + trend.total, 0);
  byId('trends-note').textContent = total > 0 ? t('trendsNote', { total: formatNumber(total) }) : t('noData');
  trendsChart ??= createChart(byId('trends-chart'));
  panels.trends.setStatus('loading');
  trendsChart.draw(trendsOption(trends, state.trendsSplit, state.trendsGranularity), () =>
    panels.trends.setStatus(total > 0 ? 'ready' : 'empty'),
  );
}

function renderUnmet(): void {
  const clusters = state.clusters;
  if (!clusters) return;
  const requests = clusters.reduce((sum, c) => sum + c.requestCount, 0);
  byId('unmet-note').textContent =
    clusters.length > 0 ? t('unmetNote', { requests, clusters: clusters.length }) : t('noData');
  unmetChart ??= createChart(byId('unmet-chart'));
  panels.unmet.setStatus('loading');
  unmetChart.draw(unmetOption(clusters), () => panels.unmet.setStatus(clusters.length > 0 ? 'ready' : 'empty'));
  if (clusters.length === 0) {
    replaceChildren(byId('clusters'), h('li', { class: 'note' }, t('noData')));
    return;
  }
  replaceChildren(
    byId('clusters'),
    ...clusters.slice(0, CLUSTERS_LISTED).map((cluster) =>
      h(
        'li',
        { class: 'cluster', 'data-cluster-id': cluster.id },
        h(
          'div',
          { class: 'cluster-head' },
          h('strong', {}, cluster.label),
          h(
            'span',
            { class: 'note' },
            t('requestsAndCitizens', { requests: cluster.requestCount, citizens: cluster.citizenCount }),
          ),
        ),
        h(
          'div',
          { class: 'chips', 'aria-label': t('keywords') },
          ...cluster.keywords.map((k) => h('span', { class: 'chip' }, k)),
        ),
        h(
          'ul',
          { class: 'samples', 'aria-label': t('samples') },
          ...cluster.sampleRequests.slice(0, SAMPLES_SHOWN).map((s) => h('li', {}, `“${s}”`)),
        ),
        cluster.closestService &&
          h(
            'p',
            { class: 'note' },
            t('closestService', {
              title: titleOf(cluster.closestService),
              score: formatNumber(cluster.closestScore ?? 0, 2),
            }),
          ),
      ),
    ),
  );
}

function renderMap(): void {
  if (!state.map) return;
  const measure = (filters.mapMeasure().value || 'demand') as MapMeasure;
  const counts = state.map[measure];
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const topDistrict = top && state.districts.find((d) => d.code === top[0]);
  byId('map-note').textContent =
    total > 0 && topDistrict
      ? t('mapNote', {
          measure: t(`mapMeasure.${measure}` as MessageKey),
          total: formatNumber(total),
          top: label(topDistrict),
        })
      : t('noData');
  const element = byId('map-chart');
  // What is drawn, for tests and for anyone inspecting the page: district code → value.
  element.dataset.measure = measure;
  element.dataset.values = JSON.stringify(Object.fromEntries(counts));
  mapChart ??= createChart(element);
  panels.map.setStatus('loading');
  mapChart.draw(mapOption(counts, state.districts, measure), () => panels.map.setStatus(total > 0 ? 'ready' : 'empty'));
}

function renderFinding(finding: Finding): HTMLElement {
  const services = finding.services.map((s) => `${s.code} ${titleOf(s)}`).join('；');
  const districts = finding.districts.map(label).join('、');
  return h(
    'li',
    { class: `finding kind-${finding.kind.toLowerCase()}`, 'data-kind': finding.kind },
    h(
      'div',
      { class: 'finding-head' },
      h('span', { class: 'badge' }, tEnum('finding', finding.kind)),
      h('span', { class: `badge change-${finding.change.toLowerCase()}` }, tEnum('change', finding.change)),
      h('strong', {}, finding.title),
      h('span', { class: 'note' }, t('priority', { value: formatNumber(finding.priority, 2) })),
    ),
    h('p', {}, finding.rationale),
    services && h('p', { class: 'note' }, services),
    districts && h('p', { class: 'note' }, districts),
    finding.metrics.length > 0 &&
      h(
        'p',
        { class: 'metrics' },
        ...finding.metrics.map((m) => h('span', { class: 'chip' }, `${m.name} ${formatNumber(m.value, 2)}`)),
      ),
  );
}

function renderReport(): void {
  const report = state.report;
  if (report === undefined) return;
  byId('download-md').hidden = !report;
  byId('download-csv').hidden = !report;
  const body = byId('report-body');
  if (!report) {
    replaceChildren(body, h('p', { class: 'note' }, t('noReport')));
    panels.report.setStatus('empty');
    return;
  }
  const lastDay = new Date(Date.parse(report.periodEnd) - 1).toISOString();
  const figures: [MessageKey, string][] = [
    ['summary.signals', formatNumber(report.summary.signals)],
    ['summary.requests', formatNumber(report.summary.requests)],
    ['summary.activeCitizens', formatNumber(report.summary.activeCitizens)],
    ['summary.publishedServices', formatNumber(report.summary.publishedServices)],
    ['summary.coverage', formatPercent(report.summary.coverage)],
    ['summary.unmetRequests', formatNumber(report.summary.unmetRequests)],
  ];
  replaceChildren(
    body,
    h(
      'p',
      { class: 'note' },
      t('reportPeriod', { from: cityDate(report.periodStart), to: cityDate(lastDay) }),
      ' · ',
      t('reportGenerated', { at: cityDateTime(report.generatedAt), trigger: tEnum('trigger', report.trigger) }),
    ),
    h(
      'dl',
      { class: 'figures' },
      ...figures.map(([key, value]) => h('div', {}, h('dt', {}, t(key)), h('dd', {}, value))),
    ),
    h('h3', {}, t('findings', { count: report.findings.length })),
    report.findings.length > 0
      ? h('ol', { class: 'findings' }, ...report.findings.map(renderFinding))
      : h('p', { class: 'note' }, t('noFindings')),
    report.resolvedFindings.length > 0 &&
      h('p', { class: 'note' }, t('resolvedFindings', { count: report.resolvedFindings.length })),
  );
  panels.report.setStatus('ready');
}

function renderProposals(): void {
  const proposals = state.proposals;
  if (!proposals) return;
  byId('proposals-note').textContent = t('proposalsCount', { count: proposals.totalCount });
  const list = byId('proposal-list');
  if (proposals.items.length === 0) {
    replaceChildren(list, h('li', { class: 'note' }, t('noProposals')));
    panels.proposals.setStatus('empty');
    return;
  }
  replaceChildren(
    list,
    ...proposals.items.map((p) =>
      h(
        'li',
        { class: 'proposal', 'data-proposal-id': p.id },
        h('strong', {}, titleOf(p)),
        h('p', {}, p.summary),
        h(
          'p',
          { class: 'note' },
          t('proposalMeta', {
            department: label(p.department),
            category: label(p.category),
            at: p.submittedAt ? cityDateTime(p.submittedAt) : '—',
          }),
        ),
        p.demandEvidence.requestCount > 0 &&
          h(
            'p',
            { class: 'note evidence' },
            t('demandEvidence', { requests: p.demandEvidence.requestCount, citizens: p.demandEvidence.citizenCount }),
          ),
      ),
    ),
  );
  panels.proposals.setStatus('ready');
}

/** A share of a count as a percentage, or a dash when there is nothing to share. */
function shareOf(part: number, whole: number): string {
  return whole > 0 ? formatPercent(part / whole) : '—';
}

function renderPerformance(): void {
  const rows = state.performance;
  if (!rows) return;
  const received = rows.reduce((sum, r) => sum + r.received, 0);
  byId('performance-note').textContent =
    rows.length > 0 ? t('performanceNote', { departments: rows.length, received }) : '';
  const body = byId('performance-rows');
  if (rows.length === 0) {
    replaceChildren(body, h('tr', {}, h('td', { colspan: '7', class: 'note' }, t('noPerformance'))));
    panels.performance.setStatus('empty');
    return;
  }
  replaceChildren(
    body,
    ...rows.map((r) =>
      h(
        'tr',
        { 'data-department': r.department.code, class: r.overdue > 0 ? 'has-overdue' : undefined },
        h('th', { scope: 'row' }, label(r.department)),
        h('td', {}, formatNumber(r.received)),
        h('td', {}, shareOf(r.acknowledgedOnTime, r.received)),
        h('td', {}, shareOf(r.resolvedOnTime, r.received)),
        h('td', { class: r.overdue > 0 ? 'overdue' : undefined }, formatNumber(r.overdue)),
        h('td', {}, r.medianResolveHours === null ? '—' : t('hours', { value: formatNumber(r.medianResolveHours, 1) })),
        h(
          'td',
          {},
          r.satisfactionRate === null
            ? '—'
            : `${formatPercent(r.satisfactionRate)} (${t('ofCount', { count: r.ratings })})`,
        ),
      ),
    ),
  );
  panels.performance.setStatus('ready');
}

/** Every text in the current language: the fixed labels, the options, and what was loaded. */
function renderLanguage(): void {
  document.title = t('title');
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]'))
    element.textContent = t(element.dataset.i18n as MessageKey);
  for (const element of document.querySelectorAll<HTMLTextAreaElement>('[data-i18n-placeholder]')) {
    element.placeholder = t(element.dataset.i18nPlaceholder as MessageKey);
  }
  renderRole();
  renderSignInError();
  if (!state.token) return;
  fillFilterOptions();
  for (const panel of Object.values(panels)) panel.renderError();
  const banner = byId('banner');
  if (!banner.hidden) {
    const forbidden = Object.values(panels).find((p) => p.error instanceof ApiError && p.error.code === 'FORBIDDEN');
    if (forbidden) banner.textContent = describeError(forbidden.error);
  }
  renderTrends();
  renderUnmet();
  renderMap();
  renderReport();
  renderProposals();
  renderPerformance();
}

function renderRole(): void {
  const role = byId('role');
  role.hidden = !state.role;
  role.textContent = state.role ? t('signedInAs', { role: `${tEnum('role', state.role)} (${state.role})` }) : '';
}

function renderSignInError(): void {
  const line = byId('sign-in-error');
  line.hidden = state.signInError === null;
  line.textContent = state.signInError === null ? '' : describeError(state.signInError);
}

// ---- Session ----

function showWorkspace(signedIn: boolean): void {
  byId('sign-in').hidden = signedIn;
  byId('workspace').hidden = !signedIn;
  byId('sign-out').hidden = !signedIn;
  renderRole();
}

async function signIn(token: string): Promise<void> {
  const button = byId<HTMLButtonElement>('sign-in-button');
  button.disabled = true;
  try {
    const session = await graphql<SessionData>(token, SESSION_QUERY);
    if (!session.viewer) throw new ApiError('No viewer for this token', 'UNAUTHENTICATED');
    state.token = token;
    state.role = session.viewer.role;
    state.categories = session.categories;
    state.districts = session.districts;
    state.signInError = null;
    sessionStorage.setItem(TOKEN_KEY, token);
    byId<HTMLTextAreaElement>('token').value = '';
    renderSignInError();
    showWorkspace(true);
    fillFilterOptions();
    loadEverything();
  } catch (error) {
    signOut(error);
  } finally {
    button.disabled = false;
  }
}

function signOut(reason: unknown = null): void {
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, {
    token: null,
    role: null,
    trends: null,
    clusters: null,
    map: null,
    report: undefined,
    proposals: null,
    performance: null,
    signInError: reason,
  });
  for (const panel of Object.values(panels)) panel.clearError();
  byId('banner').hidden = true;
  showWorkspace(false);
  renderSignInError();
  byId('token').focus();
}

async function download(format: 'md' | 'csv'): Promise<void> {
  if (!state.token || !state.report) return;
  try {
    const { blob, fileName } = await downloadReport(state.token, state.report.id, format);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    handleError(panels.report, error);
  }
}

function start(): void {
  setLang(lang());
  renderLanguage();

  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId<HTMLTextAreaElement>('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    if (!token) {
      state.signInError = new PageMessage('tokenMissing');
      renderSignInError();
      return;
    }
    void signIn(token);
  });
  byId('sign-out').addEventListener('click', () => signOut());
  byId('language').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    renderLanguage();
  });
  byId('refresh').addEventListener('click', () => loadEverything());
  byId('download-md').addEventListener('click', () => void download('md'));
  byId('download-csv').addEventListener('click', () => void download('csv'));
  byId<HTMLFormElement>('filters').addEventListener('submit', (event) => event.preventDefault());
  filters.window().addEventListener('change', () => {
    void loadPerformance();
    void loadTrends();
    void loadUnmet();
    void loadMap();
  });
  filters.district().addEventListener('change', () => {
    void loadTrends();
    void loadUnmet();
  });
  for (const select of [filters.category(), filters.ageBand(), filters.split()])
    select.addEventListener('change', () => void loadTrends());
  for (const select of [filters.category(), filters.ageBand()]) select.addEventListener('change', () => void loadMap());
  filters.mapMeasure().addEventListener('change', () => renderMap());
  window.addEventListener('resize', () => {
    trendsChart?.resize();
    unmetChart?.resize();
    mapChart?.resize();
  });

  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) void signIn(saved);
  else showWorkspace(false);
}

start();
