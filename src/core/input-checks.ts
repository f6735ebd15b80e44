import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { AppError, type FieldError } from './errors';
import { coerceVariables } from './variables';
import { EARLIEST_DATE, LATEST_DATE } from './limits';

const NUL = /\u0000/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with a text for storage, or null: PostgreSQL's text refuses NUL, and jsonb
 * (the audit trail's details) refuses a lone UTF-16 surrogate, which UTF-8 cannot encode.
 */
export function textFault(value: string): { constraint: string; message: string } | null {
  if (NUL.test(value)) return { constraint: 'noNulCharacter', message: 'must not contain a NUL character (U+0000)' };
  if (LONE_SURROGATE.test(value)) {
    return { constraint: 'wellFormedUnicode', message: 'must be well-formed Unicode (it contains a lone surrogate)' };
  }
  return null;
}

/**
 * What is wrong with a date, or null: outside [EARLIEST_DATE, LATEST_DATE) the city's data
 * cannot lie, and day arithmetic near year 9999 leaves what JavaScript and PostgreSQL can represent.
 */
export function dateFault(value: Date): { constraint: string; message: string } | null {
  const time = value.getTime();
  if (Number.isNaN(time) || time < EARLIEST_DATE.getTime() || time >= LATEST_DATE.getTime()) {
    const range = `from ${EARLIEST_DATE.toISOString()} to before ${LATEST_DATE.toISOString()}`;
    return { constraint: 'dateRange', message: `must be ${range}` };
  }
  return null;
}

/**
 * Every fault of the texts and dates in a coerced input value (strings, dates, lists, input
 * objects), with paths under `path`.
 */
export function inputValueFaults(value: unknown, path: string): FieldError[] {
  const faults: FieldError[] = [];
  collectFaults(value, [path], faults);
  return faults;
}

/** Walks a value with its path as parts, joined only for a fault (most inputs have none). */
function collectFaults(value: unknown, parts: (string | number)[], faults: FieldError[]): void {
  if (typeof value === 'string' || value instanceof Date) {
    const fault = typeof value === 'string' ? textFault(value) : dateFault(value);
    if (!fault) return;
    const property = parts
      .map((part, i) => (i === 0 ? part : typeof part === 'number' ? `[${part}]` : `.${part}`))
      .join('');
    faults.push({ property, constraints: { [fault.constraint]: `${property} ${fault.message}` } });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      parts.push(i);
      collectFaults(value[i], parts, faults);
      parts.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      parts.push(key);
      collectFaults((value as Record<string, unknown>)[key], parts, faults);
      parts.pop();
    }
  }
}

type FieldWithArguments = { definition: GraphQLField<unknown, unknown>; node: FieldNode };

/**
 * The fields with arguments that an operation selects (its fragments too), found once per
 * parsed document: the walk with TypeInfo costs several times the checks themselves, and
 * Apollo hands the same document object to every request of the same query text.
 */
const fieldsOfOperation = new WeakMap<DocumentNode, Map<OperationDefinitionNode, FieldWithArguments[]>>();

function fieldsWithArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): FieldWithArguments[] {
  let perOperation = fieldsOfOperation.get(document);
  if (!perOperation) fieldsOfOperation.set(document, (perOperation = new Map()));
  let fields = perOperation.get(operation);
  if (fields) return fields;
  const found: FieldWithArguments[] = [];
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const definition = typeInfo.getFieldDef();
      if (definition && node.arguments?.length) found.push({ definition, node });
    },
  });
  for (const definition of document.definitions) {
    if (definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, visitor);
  }
  fields = found;
  perOperation.set(operation, fields);
  return fields;
}

/**
 * The faults of every argument of every field the operation selects (its fragments too),
 * as GraphQL coerces them from literals and variables; named by argument path
 * (`input.title`, `signals[3].text`, `reason`). Variables that do not coerce are left to
 * execution, which refuses them with its own message.
 */
export function operationInputFaults(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): FieldError[] {
  const fields = fieldsWithArguments(schema, document, operation);
  if (fields.length === 0) return [];
  const coerced = coerceVariables(schema, operation, rawVariables);
  if (coerced.errors) return [];
  const faults = new Map<string, FieldError>();
  for (const { definition, node } of fields) {
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(definition, node, coerced.coerced);
    } catch {
      continue; // execution refuses it the same way
    }
    for (const [name, value] of Object.entries(values)) {
      for (const fault of inputValueFaults(value, name)) faults.set(fault.property, fault);
    }
  }
  return [...faults.values()];
}

/**
 * Refuses, before anything runs, an operation whose arguments carry text that cannot be
 * stored or a date outside the sane range: one BAD_USER_INPUT (HTTP 400, like a variable
 * GraphQL cannot coerce) naming each field. Every argument of every operation passes here,
 * whatever resolver reads it.
 */
export function inputChecksPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const faults = operationInputFaults(schema, document, operation, request.variables);
          if (faults.length === 0) return;
          throw new AppError(
            `The input is not valid: ${faults.map((f) => f.property).join(', ')}`,
            'BAD_USER_INPUT',
            { validationErrors: faults },
            400,
          );
        },
      };
    },
  };
}
