import { csvField, reportToCsv, reportToMarkdown, type ExportReport } from './report-export';

const report: ExportReport = {
  id: '00000000-0000-4000-8000-000000000001',
  periodStart: new Date('2026-11-01T16:00:00Z'),
  periodEnd: new Date('2026-11-08T16:00:00Z'),
  generatedAt: new Date('2026-11-09T00:00:00Z'),
  trigger: 'SCHEDULED',
  previousId: null,
  summary: { signals: 10, requests: 4, activeCitizens: 3, publishedServices: 200, coverage: 0.75, unmetRequests: 1 },
  findings: [
    {
      kind: 'MERGE_SERVICES',
      change: 'NEW',
      priority: 12.5,
      title: '合并「甲」与「乙」',
      rationale: '内容高度相似, "需要"合并',
      services: [
        { code: 'A-1', title: '甲' },
        { code: 'B-1', title: '乙' },
      ],
      districts: [],
      departments: [],
      metrics: [{ name: 'similarity', value: 0.8 }],
    },
  ],
  resolvedFindings: [],
};

describe('report export', () => {
  it('writes Markdown with the summary and findings', () => {
    const md = reportToMarkdown(report);
    expect(md).toContain('# 服务目录优化报告 2026-11-02 – 2026-11-08');
    expect(md).toContain('| 诉求满足率 | 75.0% |');
    expect(md).toContain('### 1. [合并服务] 合并「甲」与「乙」');
    expect(md).toContain('- 服务：甲（A-1）；乙（B-1）');
  });

  it('writes CSV with quoting and defused formulas', () => {
    const lines = reportToCsv(report).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'MERGE_SERVICES,NEW,12.5,合并「甲」与「乙」,A-1 B-1,,,similarity=0.8,"内容高度相似, ""需要""合并"',
    );
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-1)).toBe('-1');
  });
});
