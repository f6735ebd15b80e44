import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { parse, specifiedRules, validate, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Config } from '../config';

const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th[ae][nt] \d+ tokens\. Parsing aborted\.$/;
const SUGGESTION = /\s*Did you mean .+\?$/;

/**
 * Operation limits: depth, aliases, directives and cost by graphql-armor's validation
 * rules; tokens by graphql-js's own parser limit (`parseOptions.maxTokens`), which fails
 * as a 400 GRAPHQL_PARSE_FAILED before anything else runs. Refusals are
 * GRAPHQL_VALIDATION_FAILED (400); the limit is named only when EXPOSE_LIMITS is on.
 * Field suggestions ("Did you mean …") are stripped when BLOCK_FIELD_SUGGESTIONS is on.
 */
export function operationLimits(config: Pick<Config, 'limits' | 'blockFieldSuggestions'>): {
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
  plugins: ApolloServerPlugin[];
} {
  const { limits } = config;
  const exposeLimits = limits.exposeLimits;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: false, flattenFragments: true, exposeLimits, errorMessage: 'Query is too deep.' },
    maxAliases: { n: limits.maxAliases, exposeLimits, errorMessage: 'Too many aliases.' },
    maxDirectives: { n: limits.maxDirectives, exposeLimits, errorMessage: 'Too many directives.' },
    // Cost leaves introspection out (the standard introspection query costs ~90,000); its
    // depth still counts, so circular introspection is refused by depth.
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, exposeLimits, errorMessage: 'Query is too expensive.' },
    // Tokens: graphql-js's parser limit below (armor's Apollo token plugin throws from a hook: a 500).
    maxTokens: { enabled: false },
    // Suggestions: stripped by our own plugin below, after every other error is known.
    blockFieldSuggestion: { enabled: false },
  }).protect();

  const plugins: ApolloServerPlugin[] = [
    {
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors }) {
            for (const error of errors) {
              // graphql-armor words its refusals as syntax errors; they are validation errors.
              if (error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && error.message.startsWith('Syntax Error: ')) {
                (error as { message: string }).message = error.message.slice('Syntax Error: '.length);
              }
              if (!exposeLimits && TOKEN_LIMIT_MESSAGE.test(error.message)) {
                (error as { message: string }).message = 'Syntax Error: Document contains too many tokens.';
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

/** Parses and validates `source` as the server would (for tests and tooling). */
export function checkOperation(
  schema: GraphQLSchema,
  source: string,
  config: Pick<Config, 'limits' | 'blockFieldSuggestions'>,
): readonly GraphQLError[] {
  const limits = operationLimits(config);
  let document;
  try {
    document = parse(source, limits.parseOptions);
  } catch (error) {
    return [error as GraphQLError];
  }
  return validate(schema, document, [...specifiedRules, ...limits.validationRules]);
}
