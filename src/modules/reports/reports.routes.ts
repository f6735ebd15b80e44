import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { Role } from '../../core/auth';
import { createAuthenticator } from '../../core/authenticate';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/faults';
import { AppError } from '../../core/errors';
import { cityDayOf } from '../analytics/periods';
import { reportToCsv, reportToMarkdown } from './report-export';
import { exportableReport } from './report-export.service';
import { reportsByIds } from './reports.service';
import { isDepartment } from '../departments';

const FILE = /^([0-9a-fA-F-]{36})\.(md|csv)$/;
const READERS: readonly Role[] = [Role.PLANNER, Role.ADMIN, Role.STAFF];

/**
 * Downloads of stored reports: GET /reports/<id>.md and /reports/<id>.csv (mounted at /reports), for a bearer token
 * of PLANNER, ADMIN or STAFF (as the catalogueReport query).
 */
export function reportsRouter(args: { config: Config; dataSource: DataSource; logger: Logger }): Router {
  const router = express.Router();
  const authenticate = createAuthenticator({ ...args, isDepartment });
  router.get('/:file', async (req, res) => {
    const fail = (status: number, code: string, message: string) =>
      res.status(status).json({ error: { code, message } });
    try {
      const user = await authenticate(req.headers.authorization);
      if (!user) return fail(401, 'UNAUTHENTICATED', 'A valid bearer token is required');
      if (!READERS.includes(user.role))
        return fail(403, 'FORBIDDEN', `This needs one of the roles ${READERS.join(', ')}`);
      const match = FILE.exec(req.params.file);
      if (!match) return fail(404, 'NOT_FOUND', 'Reports are at /reports/<id>.md and /reports/<id>.csv');
      const [report] = await reportsByIds(args.dataSource.manager, [match[1].toLowerCase()]);
      if (!report) return fail(404, 'NOT_FOUND', `CatalogueReport "${match[1]}" not found`);
      const exported = await exportableReport(args.dataSource.manager, report);
      const name = `catalogue-report-${cityDayOf(report.periodStart)}-${cityDayOf(new Date(report.periodEnd.getTime() - 1))}`;
      res.setHeader('cache-control', 'private, no-store');
      if (match[2] === 'md') {
        res.type('text/markdown; charset=utf-8').setHeader('content-disposition', `attachment; filename="${name}.md"`);
        return res.send(reportToMarkdown(exported));
      }
      res.type('text/csv; charset=utf-8').setHeader('content-disposition', `attachment; filename="${name}.csv"`);
      return res.send(`\uFEFF${reportToCsv(exported)}`);
    } catch (error) {
      if (error instanceof AppError && error.extensions.code === 'UNAUTHENTICATED')
        return fail(401, 'UNAUTHENTICATED', error.message);
      if (isDatabaseUnavailable(error)) {
        args.logger.error({ err: error }, 'database unavailable');
        res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        return fail(503, 'INTERNAL_SERVER_ERROR', 'database unavailable');
      }
      args.logger.error({ err: error }, 'report download failed');
      return fail(500, 'INTERNAL_SERVER_ERROR', 'The report could not be exported');
    }
  });
  return router;
}
