import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * The last error handler of the HTTP app: what no route answered itself. Express's own handler
 * answered such errors with an HTML page carrying the stack outside production (a path whose
 * percent-encoding is not UTF-8, `/reports/%FF.csv`, showed the server's file paths); this one
 * answers JSON, a client's error (4xx) as it is and anything else as a logged 500.
 */
export function finalErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; statusCode?: number; expose?: boolean; message?: string }, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (error instanceof URIError) {
      return void res
        .status(400)
        .json({ error: { code: 'BAD_REQUEST', message: 'Malformed path: its percent-encoding is not UTF-8' } });
    }
    if (status >= 400 && status < 500) {
      const message = error.expose && error.message ? error.message : 'Bad request';
      return void res.status(status).json({ error: { code: 'BAD_REQUEST', message } });
    }
    logger.error({ err: error, requestId: res.locals.requestId, path: req.path }, 'request failed');
    return void res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
  };
}
