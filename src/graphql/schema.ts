import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../core/auth';
import { resolvers } from '../modules';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: resolvers as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: { forbidUnknownValues: false },
  });
  return built;
}
