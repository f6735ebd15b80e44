// npm run report -- --from 2026-11-02 --to 2026-11-09 [--csv] [--out report.md]
// Prints (or writes) the catalogue-optimisation report of the period as Markdown or CSV: the
// stored one when the period has one, else it is built and stored now (trigger MANUAL, with
// a report.generate audit event without an actor). Dates are city (Asia/Shanghai) days; --to
// is exclusive. Full ISO times are taken as they are.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/database';
import { recordAudit } from '../audit/audit.service';
import { cityMidnight } from '../analytics/periods';
import { reportToCsv, reportToMarkdown } from './report-export';
import { exportableReport } from './report-export.service';
import { ReportTrigger } from './report.types';
import { jobContext, reportablePeriod, reportsByIds, storeReport } from './reports.service';
import { reportIdOfPeriod } from './reports.queries';
import { withManager } from '../../core/context';

function reportArgs(argv: string[]): { from: Date; to: Date; csv: boolean; out: string | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const time = (name: 'from' | 'to'): Date => {
    const raw = values[name];
    if (raw === undefined) throw new Error(`--${name} is required (a day such as 2026-11-02, or an ISO time)`);
    const date = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? cityMidnight(raw) : new Date(raw);
    if (Number.isNaN(date.getTime())) throw new Error(`--${name} is not a day or time: "${raw}"`);
    return date;
  };
  return { from: time('from'), to: time('to'), csv: values.csv, out: values.out ?? null };
}

async function main(): Promise<void> {
  const args = reportArgs(process.argv.slice(2));
  // Whole city days, all of them over (docs/reports.md).
  const period = reportablePeriod(args.from, args.to);
  const config = loadConfig();
  const logger = pino({ level: 'warn' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    const dataSource = database.dataSource;
    const existing = await reportIdOfPeriod(dataSource.manager, period.from, period.to);
    let report = existing ? (await reportsByIds(dataSource.manager, [existing]))[0] : undefined;
    if (!report) {
      report =
        (await dataSource.transaction(async (manager) => {
          const tx = withManager(jobContext(dataSource, config, logger, 'report-cli'), manager);
          const stored = await storeReport(tx, args.from, args.to, ReportTrigger.MANUAL);
          if (stored) {
            await recordAudit(tx, {
              action: 'report.generate',
              targetType: 'catalogue_report',
              targetId: stored.id,
              details: { via: 'cli' },
            });
          }
          return stored;
        })) ?? undefined;
      if (!report)
        throw new Error('another process stored the report of this period at the same time; run again to export it');
    }
    const exported = await exportableReport(dataSource.manager, report);
    const text = args.csv ? reportToCsv(exported) : reportToMarkdown(exported);
    if (args.out) {
      writeFileSync(args.out, text);
      console.error(`wrote ${args.out} (report ${report.id}, ${report.findings.length} findings)`);
    } else process.stdout.write(text);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
