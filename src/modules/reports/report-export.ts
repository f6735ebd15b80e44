import { cityDayOf } from '../analytics/periods';

/**
 * A stored report as Markdown and as CSV (one line per finding). Pure: the HTTP routes and
 * the command line hand in a report with its services and districts already named.
 */

export interface ExportFinding {
  kind: string;
  change: string;
  priority: number;
  title: string;
  rationale: string;
  services: { code: string; title: string }[];
  districts: { code: string; name: string }[];
  departments: string[];
  metrics: { name: string; value: number }[];
}

export interface ExportDepartmentFigures {
  department: string;
  received: number;
  acknowledgedOnTime: number;
  resolvedOnTime: number;
  overdue: number;
  medianResolveHours: number | null;
  ratings: number;
  satisfactionRate: number | null;
}

export interface ExportReport {
  id: string;
  periodStart: Date;
  periodEnd: Date;
  generatedAt: Date;
  trigger: string;
  previousId: string | null;
  summary: {
    signals: number;
    requests: number;
    activeCitizens: number;
    publishedServices: number;
    coverage: number;
    unmetRequests: number;
  };
  findings: ExportFinding[];
  resolvedFindings: ExportFinding[];
  /** Absent or empty for reports stored before department figures were kept. */
  departments?: ExportDepartmentFigures[];
}

const KIND_NAMES: Record<string, string> = {
  ADD_SERVICE: '新增服务',
  IMPROVE_SERVICE: '改进服务',
  RETIRE_SERVICE: '下线服务',
  MERGE_SERVICES: '合并服务',
  EXPAND_DISTRICTS: '扩大区县',
  PROMOTE_SERVICE: '推广服务',
};
const CHANGE_NAMES: Record<string, string> = { NEW: '新', PERSISTING: '持续', RESOLVED: '已解决' };

const iso = (d: Date) => d.toISOString();
/** The city (Asia/Shanghai) days a period covers, both inclusive. */
export function periodLabel(start: Date, end: Date): string {
  return `${cityDayOf(start)} – ${cityDayOf(new Date(end.getTime() - 1))}`;
}
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function reportToMarkdown(report: ExportReport): string {
  const s = report.summary;
  const lines = [
    `# 服务目录优化报告 ${periodLabel(report.periodStart, report.periodEnd)}`,
    '',
    `- 报告编号：${report.id}`,
    `- 周期：${iso(report.periodStart)} 至 ${iso(report.periodEnd)}`,
    `- 生成时间：${iso(report.generatedAt)}（${report.trigger === 'SCHEDULED' ? '定时' : '手动'}）`,
    `- 上期报告：${report.previousId ?? '无'}`,
    '',
    '## 概况',
    '',
    '| 指标 | 数值 |',
    '|---|---|',
    `| 需求信号 | ${s.signals} |`,
    `| 诉求 | ${s.requests} |`,
    `| 活跃群众 | ${s.activeCitizens} |`,
    `| 已发布服务 | ${s.publishedServices} |`,
    `| 诉求满足率 | ${(s.coverage * 100).toFixed(1)}% |`,
    `| 未满足诉求 | ${s.unmetRequests} |`,
    '',
    ...departmentSection(report.departments ?? []),
    `## 发现（${report.findings.length}）`,
    '',
  ];
  const section = (f: ExportFinding, n: number) => {
    lines.push(`### ${n}. [${KIND_NAMES[f.kind] ?? f.kind}] ${f.title}`, '');
    lines.push(`优先级 ${f.priority} · ${CHANGE_NAMES[f.change] ?? f.change}`, '', f.rationale, '');
    if (f.services.length) lines.push(`- 服务：${f.services.map((x) => `${x.title}（${x.code}）`).join('；')}`);
    if (f.districts.length) lines.push(`- 区县：${f.districts.map((d) => d.name).join('、')}`);
    if (f.departments.length) lines.push(`- 建议部门：${f.departments.join('、')}`);
    if (f.metrics.length) lines.push(`- 指标：${f.metrics.map((m) => `${m.name} = ${m.value}`).join('，')}`);
    lines.push('');
  };
  report.findings.forEach((f, i) => section(f, i + 1));
  if (report.findings.length === 0) lines.push('本期没有发现。', '');
  if (report.resolvedFindings.length > 0) {
    lines.push(`## 上期发现中已解决的（${report.resolvedFindings.length}）`, '');
    report.resolvedFindings.forEach((f, i) => section(f, i + 1));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/** 接诉即办 figures per department: on-time acknowledgement and resolution, overdue, time to resolve, satisfaction. */
function departmentSection(departments: ExportDepartmentFigures[]): string[] {
  const lines = ['## 部门办理情况', ''];
  if (departments.length === 0) return [...lines, '本期没有转办给部门的诉求。', ''];
  lines.push(
    '| 部门 | 受理 | 按时签收率 | 按时办结率 | 超期 | 办结用时中位数（小时） | 评价 | 满意率 |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const d of departments) {
    lines.push(
      `| ${cell(d.department)} | ${d.received} | ${percent(d.acknowledgedOnTime, d.received)} | ${percent(d.resolvedOnTime, d.received)} | ` +
        `${d.overdue} | ${d.medianResolveHours === null ? '—' : d.medianResolveHours.toFixed(1)} | ${d.ratings} | ` +
        `${d.satisfactionRate === null ? '—' : `${(d.satisfactionRate * 100).toFixed(1)}%`} |`,
    );
  }
  return [...lines, ''];
}

/** RFC 4180: quoted when needed, doubled quotes; a leading = + - @ is defused against formula injection. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'kind',
  'change',
  'priority',
  'title',
  'services',
  'districts',
  'departments',
  'metrics',
  'rationale',
] as const;

export function reportToCsv(report: ExportReport): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const f of [...report.findings, ...report.resolvedFindings]) {
    rows.push(
      [
        f.kind,
        f.change,
        f.priority,
        f.title,
        f.services.map((s) => s.code).join(' '),
        f.districts.map((d) => d.code).join(' '),
        f.departments.join(' '),
        f.metrics.map((m) => `${m.name}=${m.value}`).join(' '),
        f.rationale,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
