import { getVariableValues, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

type Coerced =
  { coerced: Record<string, unknown>; errors?: never } | { errors: readonly GraphQLError[]; coerced?: never };

/** Per raw variables object (Apollo hands the same one to every plugin of a request) and operation. */
const coercions = new WeakMap<object, WeakMap<OperationDefinitionNode, Coerced>>();

/**
 * An operation's variables as execution will coerce them (at most one error), worked out once
 * per request: the cost model and the input checks both read them before execution, and a
 * batch of 500 signals takes as long to coerce as to validate. The result is shared: read it,
 * never change it.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): Coerced {
  const coerce = () =>
    getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 }) as Coerced;
  if (!rawVariables) return coerce();
  let perOperation = coercions.get(rawVariables);
  if (!perOperation) coercions.set(rawVariables, (perOperation = new WeakMap()));
  let result = perOperation.get(operation);
  if (!result) perOperation.set(operation, (result = coerce()));
  return result;
}
