import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../core/auth';
import { resolvers } from '../modules';

/**
 * type-graphql asks for a PubSub as soon as a subscription exists; every subscription here
 * brings its own `subscribe` (live-notifications.ts), so topics are refused.
 */
const NO_TOPICS = {
  publish(): void {
    throw new Error('subscriptions subscribe to their own sources; there are no topics');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions subscribe to their own sources; there are no topics');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: resolvers as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    pubSub: NO_TOPICS,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: { forbidUnknownValues: false },
  });
  return built;
}
