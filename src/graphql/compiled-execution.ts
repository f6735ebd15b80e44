import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  execute,
  getVariableValues,
  GraphQLError,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SourceLocation,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { reuseCoercedVariablesInExecution } from '../core/variables';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * A query is compiled when it runs for this time: one seen once is not worth compiling. Under
 * test at once, so that every test's queries run compiled.
 */
const COMPILE_AT_RUN = process.env.NODE_ENV === 'test' ? 1 : 2;
/** Compiled queries kept, the most recently compiled; a query dropped runs through graphql-js until compiled again. */
const MAX_COMPILED = 200;

/**
 * Query operations compiled to JavaScript functions (graphql-jit) once they recur, by the
 * operation node of the document Apollo parsed, validated and cached for the query text (the
 * same objects for every request of that text). A query that cannot be compiled, a mutation
 * and an operation whose variables do not coerce run through graphql-js, so that their
 * results and errors are graphql-js's own.
 */
export class CompiledQueries {
  private readonly runs = new WeakMap<OperationDefinitionNode, number>();
  private readonly compiled = new Map<OperationDefinitionNode, CompiledQuery | null>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** The compiled query of `operation` in `document`, or null to run it through graphql-js. */
  compiledFor(document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null {
    const known = this.compiled.get(operation);
    if (known !== undefined) return known;
    const run = (this.runs.get(operation) ?? 0) + 1;
    if (run < COMPILE_AT_RUN) {
      this.runs.set(operation, run);
      return null;
    }
    this.runs.delete(operation);
    const result = compileQuery(this.schema, document, operation.name?.value);
    const compiled = isCompiledQuery(result) ? result : null;
    if (this.compiled.size >= MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value!);
    this.compiled.set(operation, compiled);
    return compiled;
  }

  /** Runs the operation Apollo resolved: compiled when it is a recurring query, else with graphql-js. */
  async execute(args: {
    document: DocumentNode;
    operation: OperationDefinitionNode | undefined;
    operationName: string | null | undefined;
    variables: Record<string, unknown> | undefined;
    contextValue: unknown;
  }): Promise<ExecutionResult> {
    const { document, operation, variables, contextValue } = args;
    if (operation?.operation === 'query') {
      const compiled = this.compiledFor(document, operation);
      if (compiled && this.variablesCoerce(operation, variables)) {
        const result = await compiled.query(undefined, contextValue, variables ?? {});
        if (result.errors?.length) return { ...result, errors: result.errors.map((e) => asLocatedError(e, document)) };
        return result;
      }
    }
    return execute({
      schema: this.schema,
      document,
      contextValue,
      variableValues: variables,
      operationName: args.operationName,
    });
  }

  /** Whether graphql-js coerces the variables without an error (graphql-jit words its refusals differently). */
  private variablesCoerce(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): boolean {
    const definitions = operation.variableDefinitions ?? [];
    if (definitions.length === 0) return true;
    return getVariableValues(this.schema, definitions, variables ?? {}, { maxErrors: 1 }).errors === undefined;
  }
}

/** The offset in `body` of a 1-based line and column (the inverse of graphql-js's getLocation). */
function offsetOf(body: string, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let at = 1; at < line; at += 1) {
    const next = body.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + column - 1;
}

/**
 * A graphql-jit error as graphql-js's `locatedError` makes it of what a field raised: the
 * original error when it is a GraphQL error that has a path already, else a GraphQLError with
 * the original's message and extensions, the field's path and locations (graphql-jit keeps
 * the locations but not the nodes, and no extensions object when the original has none,
 * where Apollo's error formatting expects one).
 */
function asLocatedError(error: GraphQLError, document: DocumentNode): GraphQLError {
  const raw: unknown = error.originalError;
  const original = raw instanceof Error ? raw : new Error(error.message);
  if (original instanceof GraphQLError && Array.isArray(original.path)) return original;
  const source = document.loc?.source;
  const positions = source && error.locations?.map((location) => offsetOf(source.body, location));
  return new GraphQLError(original.message, {
    source: positions?.length ? source : undefined,
    positions: positions?.length ? positions : undefined,
    path: error.path,
    originalError: original,
  });
}

/**
 * Apollo Server runs operations through an executor of its own only for a gateway: this one
 * serves our schema as it is (Apollo parses, validates, caches documents and runs every
 * plugin as usual) and executes through `CompiledQueries`, with the variables the plugins had
 * coerced already (`reuseCoercedVariablesInExecution`).
 */
export function compiledExecutionGateway(schema: GraphQLSchema): Gateway {
  reuseCoercedVariablesInExecution();
  const queries = new CompiledQueries(schema);
  const listeners = new Set<Parameters<Gateway['onSchemaLoadOrUpdate']>[0]>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      const coreSupergraphSdl = printSchema(schema);
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl });
      return {
        executor: (requestContext) =>
          queries.execute({
            document: requestContext.document,
            operation: requestContext.operation,
            operationName: requestContext.request.operationName,
            variables: requestContext.request.variables,
            contextValue: requestContext.context,
          }),
      };
    },
    async stop() {},
  };
}
