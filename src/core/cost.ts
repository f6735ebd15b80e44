import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { coerceVariables } from './variables';

/**
 * The cost of an operation by the size of its result: every object in the response counts
 * one, and a list multiplies the cost of one item by how many items it may hold. Scalars,
 * enums and `__typename` cost nothing (the alias limit and the token limit bound them), nor
 * does introspection (`__schema`, `__type`: bounded by the depth limit). Fields are merged by
 * response key as graphql-js executes them, so a field repeated under the same key counts once;
 * @skip/@include and variables are read as execution will read them. Pure: unit-tested.
 */

/** The list or connection field an object is reached through (its arguments size lists below it). */
export interface ParentField {
  /** `Type.field` */
  key: string;
  args: Record<string, unknown>;
  /** A connection's page size (its `first`), which sizes its `edges`. */
  pageSize?: number;
}

/** Expected items of a list field that no `first` argument sizes. */
export type ListSize = (args: Record<string, unknown>, parent: ParentField | null) => number;

export interface CostOptions {
  /** Largest `first` any field accepts (a larger one is refused by the field itself). */
  maxPageSize: number;
  /** `Type.field` → expected items, for lists without `first`. */
  listSizes: Record<string, ListSize>;
  /** Items assumed of a list that neither `first` nor `listSizes` sizes. */
  defaultListSize: number;
  /** Stop counting once the cost exceeds this (the result is then only known to exceed it). */
  stopAbove?: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  options: CostOptions;
}

/**
 * The cost of `operation` with these (raw) variables; null when the variables do not coerce
 * (execution refuses them before any work) or the operation's root type does not exist.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
  options: CostOptions,
): number | null {
  const root = rootTypeOf(schema, operation);
  if (!root) return null;
  const walk = walkOf(schema, document, operation, rawVariables, options);
  if (!walk) return null;
  return selectionCost(walk, root, [operation.selectionSet], null, options.stopAbove ?? Infinity);
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLObjectType | null | undefined {
  return operation.operation === 'query'
    ? schema.getQueryType()
    : operation.operation === 'mutation'
      ? schema.getMutationType()
      : schema.getSubscriptionType();
}

function walkOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
  options: CostOptions,
): Walk | null {
  const coerced = coerceVariables(schema, operation, rawVariables);
  if (coerced.errors) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return { schema, fragments, variables: coerced.coerced, options };
}

/**
 * The root fields `operation` runs, one per response key as graphql-js collects them (fragments
 * and @skip/@include read), with their arguments as the field will read them; null when the
 * variables do not coerce or the root type does not exist (execution refuses it).
 */
export function rootFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): { name: string; args: Record<string, unknown> }[] | null {
  const root = rootTypeOf(schema, operation);
  if (!root) return null;
  const walk = walkOf(schema, document, operation, rawVariables, { maxPageSize: 0, listSizes: {}, defaultListSize: 0 });
  if (!walk) return null;
  const fields: { name: string; args: Record<string, unknown> }[] = [];
  for (const nodes of collectFields(walk, root, [operation.selectionSet]).values()) {
    const name = nodes[0].name.value;
    const field = root.getFields()[name];
    if (!field) continue;
    try {
      fields.push({ name, args: getArgumentValues(field, nodes[0], walk.variables) });
    } catch {
      // refused by execution before the field runs
    }
  }
  return fields;
}

function selectionCost(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  parent: ParentField | null,
  budget: number,
): number {
  let total = 0;
  for (const nodes of collectFields(walk, type, selectionSets).values()) {
    total += fieldCost(walk, type, nodes, parent, budget - total);
    if (total > budget) return total;
  }
  return total;
}

function fieldCost(
  walk: Walk,
  parentType: GraphQLObjectType,
  nodes: readonly FieldNode[],
  parent: ParentField | null,
  budget: number,
): number {
  const name = nodes[0].name.value;
  if (name.startsWith('__')) return 0;
  const field = parentType.getFields()[name];
  if (!field) return 0;
  const named = getNamedType(field.type);
  if (!isCompositeType(named)) return 0;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, nodes[0], walk.variables);
  } catch {
    args = {}; // refused by execution before the field runs
  }
  const key = `${parentType.name}.${name}`;
  const hasFirst = field.args.some((arg) => arg.name === 'first');
  const pageSize = hasFirst ? pageSizeOf(field.args, args, walk.options.maxPageSize) : undefined;
  const isList = isListType(getNullableType(field.type));
  const items = isList ? listItems(walk.options, key, name, args, parent, pageSize) : 1;
  if (items <= 0) return 0;
  if (items > budget) return items; // over budget whatever the items hold
  const self: ParentField = { key, args, pageSize };
  const selectionSets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  const childBudget = budget / items - 1;
  let child = 0;
  for (const type of objectTypesOf(walk.schema, named)) {
    child = Math.max(child, selectionCost(walk, type, selectionSets, self, childBudget));
  }
  return items * (1 + child);
}

/** `first` as the field will read it: null or absent is its default, else the largest page. */
function pageSizeOf(
  definitions: readonly { name: string; defaultValue?: unknown }[],
  args: Record<string, unknown>,
  maxPageSize: number,
): number {
  const given = args.first;
  const fallback = definitions.find((arg) => arg.name === 'first')?.defaultValue;
  const first = typeof given === 'number' ? given : typeof fallback === 'number' ? fallback : maxPageSize;
  return Math.min(Math.max(first, 0), maxPageSize);
}

function listItems(
  options: CostOptions,
  key: string,
  name: string,
  args: Record<string, unknown>,
  parent: ParentField | null,
  pageSize: number | undefined,
): number {
  if (pageSize !== undefined) return pageSize;
  const size = options.listSizes[key];
  if (size) return size(args, parent);
  // A connection's edges: as many as its page.
  if (name === 'edges' && parent?.pageSize !== undefined) return parent.pageSize;
  return options.defaultListSize;
}

function objectTypesOf(schema: GraphQLSchema, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
}

/** The fields of `selectionSets` on `type`, by response key, as graphql-js collects them for execution. */
function collectFields(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  fields = new Map<string, FieldNode[]>(),
  visitedFragments = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selectionSet of selectionSets) {
    for (const selection of selectionSet.selections) {
      if (!included(walk, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const responseKey = selection.alias?.value ?? selection.name.value;
        const known = fields.get(responseKey);
        if (known) known.push(selection);
        else fields.set(responseKey, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(walk, selection.typeCondition, type)) {
          collectFields(walk, type, [selection.selectionSet], fields, visitedFragments);
        }
      } else {
        const name = selection.name.value;
        if (visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        const fragment = walk.fragments[name];
        if (fragment && applies(walk, fragment.typeCondition, type)) {
          collectFields(walk, type, [fragment.selectionSet], fields, visitedFragments);
        }
      }
    }
  }
  return fields;
}

function included(walk: Walk, node: SelectionNode): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
}

function applies(walk: Walk, condition: InlineFragmentNode['typeCondition'], type: GraphQLObjectType): boolean {
  if (!condition) return true;
  const conditionType = typeFromAST(walk.schema, condition);
  if (!conditionType) return false;
  if (conditionType === type) return true;
  return isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
}

/** Composite list fields of the schema that neither `first` nor `listSizes` sizes (edges aside). */
export function unsizedListFields(schema: GraphQLSchema, listSizes: Record<string, ListSize>): string[] {
  const unsized: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (!isListType(getNullableType(field.type)) || !isCompositeType(getNamedType(field.type))) continue;
      if (field.args.some((arg) => arg.name === 'first') || field.name === 'edges' || listSizes[key]) continue;
      unsized.push(key);
    }
  }
  return unsized;
}

/**
 * The cost of each request's operation once the limits have checked it, keyed by the request
 * object (Apollo's GraphQLRequest): what the rate limits charge it by (src/http/rate-limit.ts).
 */
const costsOfRequests = new WeakMap<object, number>();

export function recordOperationCost(request: object, cost: number): void {
  costsOfRequests.set(request, cost);
}

/** The cost recorded for `request`; undefined when none was (refused before, or not counted). */
export function recordedOperationCost(request: object): number | undefined {
  return costsOfRequests.get(request);
}
