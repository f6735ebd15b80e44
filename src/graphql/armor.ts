import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config';
import { operationCost, recordOperationCost, rootFields, type CostOptions } from '../core/cost';
import { MAX_FREE_TEXT_FIELDS } from '../core/limits';
import { LIST_SIZES } from './list-sizes';
import { MAX_PAGE_SIZE } from '../core/pagination';
import { responseSizeLimit } from './response-size';

const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th[ae][nt] \d+ tokens\. Parsing aborted\.$/;
const SUGGESTION = /\s*Did you mean .+\?$/;
/** What a client writing a long input (a batch of 500 signals) into the document itself should do instead. */
const TOKEN_LIMIT_HINT = 'Send long inputs as variables: their values are not tokens of the document.';

type LimitsConfig = Pick<Config, 'limits' | 'blockFieldSuggestions'>;

/** How the cost model sizes lists; a list it cannot size gets 10 (a unit test keeps none such). */
const COST_OPTIONS: CostOptions = { maxPageSize: MAX_PAGE_SIZE, listSizes: LIST_SIZES, defaultListSize: 10 };

/**
 * Operation limits: depth, aliases (`__typename` included) and directives by graphql-armor's
 * validation rules; tokens by graphql-js's own parser limit (`parseOptions.maxTokens`), which
 * fails as a 400 GRAPHQL_PARSE_FAILED before anything else runs. Refusals are
 * GRAPHQL_VALIDATION_FAILED (400); the limit is named only when EXPOSE_LIMITS is on.
 * Once the operation and its variables are known (didResolveOperation, before execution):
 * subscriptions are refused (SUBSCRIPTIONS_NOT_SUPPORTED) and the cost by result size
 * (`cost.ts`) is checked against MAX_NODES (QUERY_TOO_EXPENSIVE).
 * Field suggestions ("Did you mean …") are stripped when BLOCK_FIELD_SUGGESTIONS is on.
 */
export function operationLimits(config: LimitsConfig): {
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
  plugins: ApolloServerPlugin[];
} {
  const { limits } = config;
  const exposeLimits = limits.exposeLimits;
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: false,
      flattenFragments: true,
      exposeLimits,
      errorMessage: 'Query is too deep.',
    },
    // No allow-list: 101 aliases of __typename are 101 keys in the response like any others.
    maxAliases: { n: limits.maxAliases, allowList: [], exposeLimits, errorMessage: 'Too many aliases.' },
    maxDirectives: { n: limits.maxDirectives, exposeLimits, errorMessage: 'Too many directives.' },
    // Cost: by result size, with variables (`cost.ts`, below); armor's multiplies by nothing
    // but depth, and reads no variables.
    costLimit: { enabled: false },
    // Tokens: graphql-js's parser limit below (armor's Apollo token plugin throws from a hook: a 500).
    maxTokens: { enabled: false },
    // Suggestions: stripped by our own plugin below, after every other error is known.
    blockFieldSuggestion: { enabled: false },
  }).protect();

  const plugins: ApolloServerPlugin[] = [
    responseSizeLimit(limits.maxResponseBytes, exposeLimits),
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ schema, document, operationName, request }) {
            const { refusal, cost } = judgeOperation(schema, document, operationName, request.variables, config);
            if (refusal) throw refusal;
            if (cost !== null) recordOperationCost(request, cost);
          },
          async didEncounterErrors({ errors }) {
            for (const error of errors) {
              // graphql-armor words its refusals as syntax errors; they are validation errors.
              if (
                error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' &&
                error.message.startsWith('Syntax Error: ')
              ) {
                (error as { message: string }).message = error.message.slice('Syntax Error: '.length);
              }
              if (TOKEN_LIMIT_MESSAGE.test(error.message)) {
                const refusal = exposeLimits ? error.message : 'Syntax Error: Document contains too many tokens.';
                (error as { message: string }).message = `${refusal} ${TOKEN_LIMIT_HINT}`;
              }
              if (config.blockFieldSuggestions && SUGGESTION.test(error.message)) {
                (error as { message: string }).message = error.message.replace(SUGGESTION, '');
              }
            }
          },
        };
      },
    },
  ];
  return { validationRules: armor.validationRules, parseOptions: { maxTokens: limits.maxTokens }, plugins };
}

const refusal = (message: string, code: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * The costs of operations that take no variables, by operation node: Apollo hands every request
 * of the same query text the same parsed document, and without variables its cost is fixed.
 */
const fixedCosts = new WeakMap<OperationDefinitionNode, { maxNodes: number; cost: number | null }>();

/** The operation's cost by the model, counted up to just past `maxNodes`. */
function costWithin(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxNodes: number,
): number | null {
  const fixed = !operation.variableDefinitions?.length;
  const known = fixed ? fixedCosts.get(operation) : undefined;
  if (known && known.maxNodes === maxNodes) return known.cost;
  const cost = operationCost(schema, document, operation, variables, { ...COST_OPTIONS, stopAbove: maxNodes });
  if (fixed) fixedCosts.set(operation, { maxNodes, cost });
  return cost;
}

/**
 * Root fields whose work grows with a text they are given, and when: each understands or
 * searches it per call (about 0.1–0.2 s for 2,000 characters), which their cost by result size
 * does not see.
 */
const FREE_TEXT_FIELDS: Record<string, (args: Record<string, unknown>) => boolean> = {
  'query.matchRequest': () => true,
  'query.services': (args) => {
    const search = (args.filter as { search?: unknown } | null | undefined)?.search;
    return typeof search === 'string' && search.trim() !== '';
  },
  'mutation.submitRequest': () => true,
  'mutation.recordSignals': (args) =>
    Array.isArray(args.signals) &&
    args.signals.some((signal: { kind?: unknown; text?: unknown }) => signal?.kind === 'SEARCH' && !!signal.text),
};

/** How many of the operation's root fields match or search a free text. */
function freeTextFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  let count = 0;
  for (const { name, args } of rootFields(schema, document, operation, variables) ?? []) {
    const reads = FREE_TEXT_FIELDS[`${operation.operation}.${name}`];
    if (reads?.(args)) count += 1;
  }
  return count;
}

/** The refusal of a valid operation with these variables, before it runs; null to run it. */
export function refuseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  config: LimitsConfig,
): GraphQLError | null {
  return judgeOperation(schema, document, operationName, variables, config).refusal;
}

/** refuseOperation, with the operation's cost by the model when it was counted (null: not counted, or past MAX_NODES). */
function judgeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  config: LimitsConfig,
): { refusal: GraphQLError | null; cost: number | null } {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { refusal: null, cost: null }; // execution reports the missing or ambiguous operation
  if (operation.operation === 'subscription') {
    return {
      refusal: refusal('Subscriptions are not supported over HTTP.', 'SUBSCRIPTIONS_NOT_SUPPORTED'),
      cost: null,
    };
  }
  const { maxNodes, exposeLimits } = config.limits;
  const texts = freeTextFields(schema, document, operation, variables);
  if (texts > MAX_FREE_TEXT_FIELDS) {
    const many = exposeLimits ? `more than ${MAX_FREE_TEXT_FIELDS}` : 'too many';
    return {
      refusal: refusal(
        `Query is too expensive: it asks for ${many} free-text matches or searches (matchRequest, submitRequest, ` +
          'services with a search, recordSignals with searches). Send them in separate operations.',
        'QUERY_TOO_EXPENSIVE',
      ),
      cost: null,
    };
  }
  const cost = costWithin(schema, document, operation, variables, maxNodes);
  if (cost === null || cost <= maxNodes) return { refusal: null, cost };
  const size = exposeLimits ? `more than ${maxNodes} objects` : 'too many objects';
  return {
    refusal: refusal(
      `Query is too expensive: it may return ${size}. Ask for smaller pages (first) or fewer nested lists.`,
      'QUERY_TOO_EXPENSIVE',
    ),
    cost: null,
  };
}

/** Parses, validates and checks `source` (with `variables`) as the server would, for tests and tooling. */
export function checkOperation(
  schema: GraphQLSchema,
  source: string,
  config: LimitsConfig,
  variables: Record<string, unknown> = {},
  operationName?: string,
): readonly GraphQLError[] {
  const limits = operationLimits(config);
  let document;
  try {
    document = parse(source, limits.parseOptions);
  } catch (error) {
    return [error as GraphQLError];
  }
  const errors = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
  if (errors.length > 0) return errors;
  const refused = refuseOperation(schema, document, operationName, variables, config);
  return refused ? [refused] : [];
}

/** The cost of `source` with `variables` by the server's model (for tests, tooling and docs). */
export function costOf(
  schema: GraphQLSchema,
  source: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
): number | null {
  const document = parse(source);
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  return operationCost(schema, document, operation, variables, COST_OPTIONS);
}
