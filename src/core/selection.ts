import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type FragmentMap = GraphQLResolveInfo['fragments'];

/** The field nodes named `name` directly in `set`, through named and inline fragments. */
function fieldsNamed(
  fragments: FragmentMap,
  set: SelectionSetNode | undefined,
  name: string,
  seen: Set<string>,
): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === name ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(fragments, selection.selectionSet, name, seen);
    const fragmentName = selection.name.value;
    if (seen.has(fragmentName)) return [];
    seen.add(fragmentName);
    return fieldsNamed(fragments, fragments[fragmentName]?.selectionSet, name, seen);
  });
}

/** The field nodes at `path` below the resolved field (every alias of each step). */
function fieldNodesAt(info: GraphQLResolveInfo, path: readonly string[]): readonly FieldNode[] {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    level = level.flatMap((node) => fieldsNamed(info.fragments, node.selectionSet, name, new Set()));
    if (level.length === 0) return level;
  }
  return level;
}

/**
 * Whether the operation asks for the field at `path` below the resolved field (through
 * fragments and inline fragments), so a resolver can skip work nobody will read.
 */
export function selectsField(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return fieldNodesAt(info, path).length > 0;
}

/**
 * The names of the fields the operation selects directly below the resolved field, or below
 * the field at `path` under it (through fragments and inline fragments; aliases give the
 * field's own name), sorted, without `__typename`. `@skip`/`@include` are not evaluated: a
 * field they may leave out is named (a resolver reads a little more than needed, never less).
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[] = []): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        collect(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of fieldNodesAt(info, path)) collect(node.selectionSet);
  names.delete('__typename');
  return [...names].sort();
}
