import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { verifyToken, type AuthUser } from './graphql/auth';
import { createContext, type Context } from './graphql/context';
import { createErrorFormatter } from './graphql/format-error';
import { getSchema } from './graphql/schema';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const BEARER = /^Bearer\s+(\S+)$/i;

async function userFromHeader(header: string | undefined, secret: string): Promise<AuthUser | null> {
  if (!header) return null;
  const match = BEARER.exec(header);
  if (!match) return verifyToken('', secret); // refuses: not a bearer token
  return verifyToken(match[1], secret);
}

/** The HTTP server: GraphQL at /graphql. */
export async function startServer(args: { config: Config; dataSource: DataSource; logger: Logger }): Promise<RunningServer> {
  const { config, dataSource, logger } = args;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<Context>({
    schema: await getSchema(),
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
        res.setHeader('x-request-id', requestId);
        const user = await userFromHeader(req.headers.authorization, config.jwtSecret);
        return createContext({ requestId, user, dataSource, config, logger: logger.child({ requestId }) });
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    httpServer,
    async stop() {
      await apollo.stop();
    },
  };
}
