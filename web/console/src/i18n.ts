// Every string the console shows, in Chinese (the default) and English.

export type Lang = 'zh' | 'en';

const zh = {
  title: '民生 · 规划工作台',
  subtitle: '服务需求与目录优化',
  switchLanguage: 'English',
  signIn: '登录',
  signOut: '退出',
  signInTitle: '使用令牌登录',
  tokenLabel: '访问令牌（JWT）',
  tokenPlaceholder: '粘贴令牌，例如 eyJhbGciOi…',
  tokenHint: '管理员可用 npm run token -- --role PLANNER 生成规划人员令牌。令牌只保存在本标签页中，关闭即失效。',
  tokenMissing: '请先粘贴令牌。',
  signedInAs: '当前角色：{role}',
  loading: '加载中…',
  refresh: '刷新',
  noData: '此范围内没有数据。',
  filters: '筛选',
  window: '时间范围',
  granularity: '粒度',
  category: '类别',
  district: '区县',
  ageBand: '年龄段',
  splitBy: '分组',
  all: '全部',
  allCity: '全市',
  none: '不分组',
  'window.30d': '近 30 天（按日）',
  'window.12w': '近 12 周（按周）',
  'window.26w': '近 26 周（按周）',
  'window.12m': '近 12 个月（按月）',
  'dimension.KIND': '信号类型',
  'dimension.CATEGORY': '类别',
  'dimension.DISTRICT': '区县',
  'dimension.AGE_BAND': '年龄段',
  'ageBand.CHILD': '未成年（<18）',
  'ageBand.YOUTH': '青年（18–34）',
  'ageBand.ADULT': '中年（35–59）',
  'ageBand.SENIOR': '老年（60+）',
  'ageBand.unknown': '年龄未知',
  'kind.REQUEST': '诉求',
  'kind.SEARCH': '搜索',
  'kind.VIEW': '浏览',
  'kind.USE': '办理',
  'kind.RATING': '评价',
  'kind.COMPLAINT': '投诉',
  'role.CITIZEN': '市民',
  'role.STAFF': '部门工作人员',
  'role.REVIEWER': '审核人员',
  'role.PLANNER': '规划人员',
  'role.AUDITOR': '审计人员',
  'role.ADMIN': '管理员',
  trendsTitle: '需求趋势',
  trendsNote: '信号总数 {total}',
  signals: '信号数',
  otherSeries: '其他',
  uncategorised: '未分类',
  noscript: '规划工作台需要启用 JavaScript。',
  unmetTitle: '未满足需求（按区县）',
  unmetNote: '现有服务无法满足的诉求，按主题聚类；共 {requests} 条诉求、{clusters} 个主题。',
  unmetRequests: '未满足诉求',
  mapTitle: '需求地图（按区县）',
  mapMeasure: '显示',
  'mapMeasure.demand': '需求信号',
  'mapMeasure.unmet': '未满足诉求',
  mapDemandUnit: '需求信号',
  mapNote: '{measure}：全市共 {total}，最多的是{top}。',
  topClusters: '主要主题',
  requestsAndCitizens: '{requests} 条诉求 · {citizens} 位市民',
  samples: '诉求示例',
  closestService: '最接近的现有服务：{title}（相似度 {score}）',
  keywords: '关键词',
  reportTitle: '最新目录优化报告',
  noReport: '尚未生成报告。',
  reportPeriod: '统计周期 {from} – {to}',
  reportGenerated: '生成于 {at}（{trigger}）',
  'trigger.SCHEDULED': '定期',
  'trigger.MANUAL': '手动',
  'summary.signals': '信号',
  'summary.requests': '诉求',
  'summary.activeCitizens': '活跃市民',
  'summary.publishedServices': '在线服务',
  'summary.coverage': '诉求满足率',
  'summary.unmetRequests': '未满足诉求',
  findings: '发现（{count}）',
  noFindings: '本期没有发现。',
  resolvedFindings: '已解决：{count} 项',
  priority: '优先级 {value}',
  downloadMarkdown: '下载 Markdown',
  downloadCsv: '下载 CSV',
  'finding.ADD_SERVICE': '新增服务',
  'finding.IMPROVE_SERVICE': '改进服务',
  'finding.RETIRE_SERVICE': '下线服务',
  'finding.MERGE_SERVICES': '合并服务',
  'finding.EXPAND_DISTRICTS': '扩大覆盖区县',
  'finding.PROMOTE_SERVICE': '加强推广',
  'change.NEW': '新',
  'change.PERSISTING': '持续',
  'change.RESOLVED': '已解决',
  proposalsTitle: '待审核的服务提案',
  proposalsCount: '共 {count} 项',
  noProposals: '没有待审核的提案。',
  proposalMeta: '{department} · {category} · 提交于 {at}',
  demandEvidence: '相关未满足诉求 {requests} 条（{citizens} 位市民）',
  'error.UNAUTHENTICATED': '令牌无效或已过期，请重新登录。',
  'error.FORBIDDEN': '当前角色（{role}）无权查看规划数据：需要规划人员、管理员或部门工作人员的令牌。',
  'error.RATE_LIMITED': '请求过于频繁，请稍后再试。',
  'error.NETWORK': '无法连接服务器。',
  'error.other': '请求失败',
  errorCode: '错误代码：{code}',
  performanceTitle: '部门办理情况（接诉即办）',
  performanceNote: '{departments} 个部门，受理 {received} 件',
  noPerformance: '此范围内没有转办给部门的诉求。',
  'perf.department': '部门',
  'perf.received': '受理',
  'perf.acknowledgedOnTime': '按时签收率',
  'perf.resolvedOnTime': '按时办结率',
  'perf.overdue': '超期',
  'perf.medianResolveHours': '办结用时中位数',
  'perf.satisfaction': '满意率',
  hours: '{value} 小时',
  ofCount: '{count} 件',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  title: 'Minsheng · Planner console',
  subtitle: 'Service demand and catalogue optimisation',
  switchLanguage: '中文',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInTitle: 'Sign in with a token',
  tokenLabel: 'Access token (JWT)',
  tokenPlaceholder: 'Paste a token, e.g. eyJhbGciOi…',
  tokenHint:
    'An administrator makes a planner token with npm run token -- --role PLANNER. The token is kept in this tab only and is gone when it closes.',
  tokenMissing: 'Paste a token first.',
  signedInAs: 'Role: {role}',
  loading: 'Loading…',
  refresh: 'Refresh',
  noData: 'No data in this range.',
  filters: 'Filters',
  window: 'Window',
  granularity: 'Granularity',
  category: 'Category',
  district: 'District',
  ageBand: 'Age band',
  splitBy: 'Split by',
  all: 'All',
  allCity: 'Whole city',
  none: 'Nothing',
  'window.30d': 'Last 30 days (daily)',
  'window.12w': 'Last 12 weeks (weekly)',
  'window.26w': 'Last 26 weeks (weekly)',
  'window.12m': 'Last 12 months (monthly)',
  'dimension.KIND': 'Signal kind',
  'dimension.CATEGORY': 'Category',
  'dimension.DISTRICT': 'District',
  'dimension.AGE_BAND': 'Age band',
  'ageBand.CHILD': 'Child (<18)',
  'ageBand.YOUTH': 'Youth (18–34)',
  'ageBand.ADULT': 'Adult (35–59)',
  'ageBand.SENIOR': 'Senior (60+)',
  'ageBand.unknown': 'Age unknown',
  'kind.REQUEST': 'Requests',
  'kind.SEARCH': 'Searches',
  'kind.VIEW': 'Views',
  'kind.USE': 'Uses',
  'kind.RATING': 'Ratings',
  'kind.COMPLAINT': 'Complaints',
  'role.CITIZEN': 'Citizen',
  'role.STAFF': 'Department staff',
  'role.REVIEWER': 'Reviewer',
  'role.PLANNER': 'Planner',
  'role.AUDITOR': 'Auditor',
  'role.ADMIN': 'Administrator',
  trendsTitle: 'Demand trends',
  trendsNote: '{total} signals in all',
  signals: 'Signals',
  otherSeries: 'Other',
  uncategorised: 'Uncategorised',
  noscript: 'The planner console needs JavaScript.',
  unmetTitle: 'Unmet demand by district',
  unmetNote: 'Requests no published service meets, clustered by topic: {requests} requests in {clusters} topics.',
  unmetRequests: 'Unmet requests',
  mapTitle: 'Demand map by district',
  mapMeasure: 'Show',
  'mapMeasure.demand': 'Demand signals',
  'mapMeasure.unmet': 'Unmet requests',
  mapDemandUnit: 'Signals',
  mapNote: '{measure}: {total} in the city, most in {top}.',
  topClusters: 'Top topics',
  requestsAndCitizens: '{requests} requests · {citizens} citizens',
  samples: 'Sample requests',
  closestService: 'Closest published service: {title} (similarity {score})',
  keywords: 'Keywords',
  reportTitle: 'Latest catalogue report',
  noReport: 'No report yet.',
  reportPeriod: 'Period {from} – {to}',
  reportGenerated: 'Generated {at} ({trigger})',
  'trigger.SCHEDULED': 'scheduled',
  'trigger.MANUAL': 'manual',
  'summary.signals': 'Signals',
  'summary.requests': 'Requests',
  'summary.activeCitizens': 'Active citizens',
  'summary.publishedServices': 'Published services',
  'summary.coverage': 'Requests met',
  'summary.unmetRequests': 'Unmet requests',
  findings: 'Findings ({count})',
  noFindings: 'No findings in this period.',
  resolvedFindings: 'Resolved: {count}',
  priority: 'Priority {value}',
  downloadMarkdown: 'Download Markdown',
  downloadCsv: 'Download CSV',
  'finding.ADD_SERVICE': 'Add a service',
  'finding.IMPROVE_SERVICE': 'Improve a service',
  'finding.RETIRE_SERVICE': 'Retire a service',
  'finding.MERGE_SERVICES': 'Merge services',
  'finding.EXPAND_DISTRICTS': 'Expand districts',
  'finding.PROMOTE_SERVICE': 'Promote a service',
  'change.NEW': 'New',
  'change.PERSISTING': 'Persisting',
  'change.RESOLVED': 'Resolved',
  proposalsTitle: 'Proposals awaiting review',
  proposalsCount: '{count} in all',
  noProposals: 'No proposal is waiting for review.',
  proposalMeta: '{department} · {category} · submitted {at}',
  demandEvidence: '{requests} related unmet requests ({citizens} citizens)',
  'error.UNAUTHENTICATED': 'The token is not valid or has expired. Sign in again.',
  'error.FORBIDDEN':
    'This role ({role}) may not read planning data: a planner, administrator or department staff token is needed.',
  'error.RATE_LIMITED': 'Too many requests. Try again shortly.',
  'error.NETWORK': 'The server cannot be reached.',
  'error.other': 'The request failed',
  errorCode: 'Error code: {code}',
  performanceTitle: 'Department performance (answering on receipt)',
  performanceNote: '{departments} departments, {received} received',
  noPerformance: 'No request was routed to a department in this window.',
  'perf.department': 'Department',
  'perf.received': 'Received',
  'perf.acknowledgedOnTime': 'Acknowledged on time',
  'perf.resolvedOnTime': 'Resolved on time',
  'perf.overdue': 'Overdue',
  'perf.medianResolveHours': 'Median time to resolve',
  'perf.satisfaction': 'Satisfied',
  hours: '{value} h',
  ofCount: '{count}',
};

const messages: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'minsheng.console.lang';

let current: Lang = readStoredLang();

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Storage may be disabled; the choice then lasts until the page reloads.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** The message in the current language, with {name} placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[current][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A message key built from an enum value (kind.VIEW, role.PLANNER…); the raw value when unknown. */
export function tEnum(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in zh ? t(key as MessageKey) : value;
}

/** An API label: the English one when English is chosen and the API has it. */
export function label(item: { name: string; nameEn?: string | null }): string {
  return current === 'en' && item.nameEn ? item.nameEn : item.name;
}

export function titleOf(item: { title: string; titleEn?: string | null }): string {
  return current === 'en' && item.titleEn ? item.titleEn : item.title;
}

const CITY_TIME_ZONE = 'Asia/Shanghai';

/** A date of the city calendar, e.g. 2026-11-02. */
export function cityDate(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: CITY_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** A date and time in the city, in the current language. */
export function cityDateTime(iso: string): string {
  return new Intl.DateTimeFormat(current === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: CITY_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(current === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: fractionDigits }).format(
    value,
  );
}

export function formatPercent(share: number): string {
  return new Intl.NumberFormat(current === 'zh' ? 'zh-CN' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(share);
}
