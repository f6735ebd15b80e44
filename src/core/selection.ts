import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks for the field at `path` below the resolved field (through
 * fragments and inline fragments), so a resolver can skip work nobody will read.
 */
export function selectsField(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const fieldsNamed = (set: SelectionSetNode | undefined, name: string, seen: Set<string>): FieldNode[] => {
    if (!set) return [];
    return set.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name ? [selection] : [];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(selection.selectionSet, name, seen);
      const fragmentName = selection.name.value;
      if (seen.has(fragmentName)) return [];
      seen.add(fragmentName);
      return fieldsNamed(info.fragments[fragmentName]?.selectionSet, name, seen);
    });
  };
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    level = level.flatMap((node) => fieldsNamed(node.selectionSet, name, new Set()));
    if (level.length === 0) return false;
  }
  return true;
}

/**
 * The names of the fields the operation selects directly below the resolved field (through
 * fragments and inline fragments; aliases give the field's own name), sorted, without
 * `__typename`.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): string[] {
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
  for (const node of info.fieldNodes) collect(node.selectionSet);
  names.delete('__typename');
  return [...names].sort();
}
