import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Context } from '../core/context';
import { MAX_RECORDED_OPERATION_NAME } from '../core/limits';
import type { ReadReplica } from '../db/read-replica';

/** Distinct operation names kept as label values; later names are counted as "other". */
const MAX_OPERATION_NAMES = 200;

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface Metrics {
  registry: Registry;
  /** GraphQL requests: rate, latency per operation, errors by code. */
  plugin: ApolloServerPlugin<Context>;
  /** GET /metrics in the Prometheus text format. */
  handler(req: Request, res: Response, next: NextFunction): void;
}

/** Prometheus metrics (prom-client), in a registry of this server's own. */
export function createMetrics(dataSource: DataSource, replica: ReadReplica | null = null): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'minsheng_' });
  const operations = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    const label = name.slice(0, MAX_RECORDED_OPERATION_NAME);
    if (operations.has(label)) return label;
    if (operations.size >= MAX_OPERATION_NAMES) return 'other';
    operations.add(label);
    return label;
  };

  const requests = new Counter({
    name: 'minsheng_graphql_requests_total',
    help: 'GraphQL requests by operation name, type and HTTP status',
    labelNames: ['operation', 'type', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'minsheng_graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation name',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'minsheng_graphql_errors_total',
    help: 'GraphQL errors sent, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
  new Gauge({
    name: 'minsheng_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting clients)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const p = pool();
      this.set({ state: 'total' }, p?.totalCount ?? 0);
      this.set({ state: 'idle' }, p?.idleCount ?? 0);
      this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
    },
  });

  if (replica) replicaMetrics(registry, replica);

  return {
    registry,
    plugin: {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse({ response, operation, operationName, errors: raised }) {
            const op = operationLabel(operation?.name?.value ?? operationName);
            const type = operation?.operation ?? 'unknown';
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const status = String(response.http.status ?? 200);
            requests.inc({ operation: op, type, status });
            duration.observe({ operation: op, type }, seconds);
            const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
            for (const error of body?.errors ?? raised ?? []) {
              errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
            }
          },
        };
      },
    },
    handler(_req, res, next) {
      registry
        .metrics()
        .then((text) => res.type(registry.contentType).send(text))
        .catch(next);
    },
  };
}

/** The read replica: in use or not, its lag at the last check, moves of reads to the primary. */
function replicaMetrics(registry: Registry, replica: ReadReplica): void {
  new Gauge({
    name: 'minsheng_db_replica_in_use',
    help: 'Whether lag-tolerant reads go to the read replica (1) or, fallen back, to the primary (0)',
    registers: [registry],
    collect() {
      this.set(replica.status().inUse ? 1 : 0);
    },
  });
  new Gauge({
    name: 'minsheng_db_replica_lag_seconds',
    help: 'How far the read replica was behind the primary at its last check',
    registers: [registry],
    collect() {
      const { lagSeconds } = replica.status();
      if (lagSeconds !== null) this.set(lagSeconds);
    },
  });
  new Counter({
    name: 'minsheng_db_replica_fallbacks_total',
    help: 'Times reads moved from the read replica to the primary, by reason (unreachable, lagging)',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      const { fallbacks } = replica.status();
      this.reset();
      for (const [reason, count] of Object.entries(fallbacks)) this.inc({ reason }, count);
    },
  });
}
