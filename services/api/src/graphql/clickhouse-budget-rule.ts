// A validation rule: an operation whose history fields would run more ClickHouse queries than
// API_CLICKHOUSE_QUERIES_PER_REQUEST is refused before anything runs (aliases cannot multiply the work). calls costs
// one query, two with totalCount; durationStats two (the histogram's bins, then the values of the bins its percentiles
// fall in; one when it reads the legs); callStats, queueStats, hourlyDensity, callTimeline and each other report
// (reportKpis, callVolume, weekdayHourHeatmap, agentLeaderboard) one. The runner counts the queries too
// (clickhouse-gate.ts's QueryBudget), so the rule and the count agree.
import { type ASTVisitor, type FragmentDefinitionNode, GraphQLError, Kind, type SelectionSetNode, type ValidationContext } from 'graphql';

const queriesOf: Record<string, (selection: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>) => number> = {
  calls: (selection, fragments) => (selects(selection, 'totalCount', fragments, new Set()) ? 2 : 1),
  callStats: () => 1,
  queueStats: () => 1,
  hourlyDensity: () => 1,
  reportKpis: () => 1,
  callVolume: () => 1,
  weekdayHourHeatmap: () => 1,
  durationStats: () => 2,
  agentLeaderboard: () => 1,
  callTimeline: () => 1,
};

/** Whether a selection set selects `name` at its first level (through fragments). */
function selects(
  selectionSet: SelectionSetNode | undefined,
  name: string,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string>,
): boolean {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD && selection.name.value === name) return true;
    if (selection.kind === Kind.INLINE_FRAGMENT && selects(selection.selectionSet, name, fragments, seen)) return true;
    if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      if (fragment && selects(fragment.selectionSet, name, fragments, new Set([...seen, selection.name.value]))) return true;
    }
  }
  return false;
}

/** ClickHouse queries the root selection set of a query would run. */
export function clickhouseQueries(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string> = new Set(),
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) total += queriesOf[selection.name.value]?.(selection.selectionSet, fragments) ?? 0;
    else if (selection.kind === Kind.INLINE_FRAGMENT) total += clickhouseQueries(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      if (fragment) total += clickhouseQueries(fragment.selectionSet, fragments, new Set([...seen, selection.name.value]));
    }
  }
  return total;
}

export function clickhouseBudgetRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'query') return;
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const queries = clickhouseQueries(operation.selectionSet, fragments);
      if (queries > max) {
        context.reportError(
          new GraphQLError(
            `this request would run ${queries} ClickHouse queries, more than the budget of ${max} per request ` +
              '(API_CLICKHOUSE_QUERIES_PER_REQUEST; calls costs 1, 2 with totalCount; durationStats 2; every other history or report field 1): ' +
              'send the fields in separate requests',
            { nodes: [operation], extensions: { code: 'QUERY_BUDGET_EXCEEDED' } },
          ),
        );
      }
    },
  });
}
