import {
  getVariableValues,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import * as graphqlValues from 'graphql/execution/values';

type Coerced =
  { coerced: Record<string, unknown>; errors?: never } | { errors: readonly GraphQLError[]; coerced?: never };

interface Coercion {
  schema: GraphQLSchema;
  result: Coerced;
}

/**
 * Per raw variables object (Apollo hands the same one to every plugin of a request and to the
 * executor) and variable definitions (those of the operation node Apollo parsed).
 */
const coercions = new WeakMap<object, WeakMap<readonly VariableDefinitionNode[], Coercion>>();

const NO_DEFINITIONS: readonly VariableDefinitionNode[] = [];

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
  const definitions = operation.variableDefinitions ?? NO_DEFINITIONS;
  const coerce = () => getVariableValues(schema, definitions, rawVariables ?? {}, { maxErrors: 1 }) as Coerced;
  if (!rawVariables) return coerce();
  let perDefinitions = coercions.get(rawVariables);
  if (!perDefinitions) coercions.set(rawVariables, (perDefinitions = new WeakMap()));
  const known = perDefinitions.get(definitions);
  if (known && known.schema === schema) return known.result;
  const result = coerce();
  perDefinitions.set(definitions, { schema, result });
  return result;
}

let reusing = false;

/**
 * Makes graphql-js's execution take the variables `coerceVariables` coerced for the same
 * request (same schema, definitions and raw object) instead of coercing them again: a second
 * pass over a batch of 500 signals cost about 6% of the API's CPU in calls of 50. Only a
 * coercion without errors is reused (it is the same whatever the error limit); one that failed
 * is made again by graphql-js with its own limit, so its errors are graphql-js's own. Execution
 * reads the coerced values and never changes them. graphql-js's CommonJS build calls
 * `getVariableValues` through its module's exports, which is where this takes its place
 * (variables.test.ts fails if a graphql release stops doing so).
 */
export function reuseCoercedVariablesInExecution(): void {
  if (reusing) return;
  reusing = true;
  const coerceAgain = graphqlValues.getVariableValues;
  const reusingCoercion: typeof getVariableValues = (schema, definitions, inputs, options) => {
    const known = coercions.get(inputs)?.get(definitions);
    if (known && known.schema === schema && known.result.coerced) return known.result;
    return coerceAgain(schema, definitions, inputs, options);
  };
  Object.defineProperty(graphqlValues, 'getVariableValues', { value: reusingCoercion });
}
