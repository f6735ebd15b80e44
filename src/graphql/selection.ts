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
