// The fields a query selects under the field being resolved, as dotted paths of schema field names ("calls",
// "ring.maxMs"), through named and inline fragments and whatever the aliases: a resolver computes only what is asked.
// A field under @skip or @include counts as selected (at worst a figure is computed for nothing).
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

export function selectedPaths(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const paths = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined, prefix: string, fragments: ReadonlySet<string>): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const path = `${prefix}${selection.name.value}`;
        paths.add(path);
        visit(selection.selectionSet, `${path}.`, fragments);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, prefix, fragments);
      } else if (!fragments.has(selection.name.value)) {
        // Validation already refuses fragment cycles; the set only keeps a cycle from looping here.
        visit(info.fragments[selection.name.value]?.selectionSet, prefix, new Set([...fragments, selection.name.value]));
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, '', new Set());
  return paths;
}
