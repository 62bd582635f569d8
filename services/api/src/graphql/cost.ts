// The cost of an operation, checked before it runs (a validation rule, API_MAX_COST): one per field selected, and the
// list fields under a paged field (`edges` of `calls(first: N)`), or a paged list's own fields (`agentLeaderboard(first:
// N)`), counted once per item of the page. `first` given as a
// variable counts as API_MAX_PAGE_SIZE (validation does not see variables), a missing one as the default page size,
// and a literal above the maximum as the maximum (the resolver refuses it with a clearer error). So the cost follows
// what a response can hold, and the configuration is refused when the largest page of some list query with every
// field would not fit (largestPageCosts), so the limits always agree.

import { shownValue } from '@callpulse/platform';
import {
  type ASTVisitor,
  buildSchema,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { typeDefs } from './type-defs.js';

export interface CostOptions {
  maxCost: number;
  maxPageSize: number;
  defaultPageSize: number;
}

type Fields = Record<string, GraphQLField<unknown, unknown>>;

const fieldsOf = (type: GraphQLNamedType | null | undefined): Fields | undefined =>
  type && (isObjectType(type) || isInterfaceType(type)) ? (type.getFields() as Fields) : undefined;

const isList = (field: GraphQLField<unknown, unknown>): boolean => isListType(isNonNullType(field.type) ? field.type.ofType : field.type);

function pageOf(node: FieldNode, options: CostOptions): number {
  const argument = node.arguments?.find((candidate) => candidate.name.value === 'first');
  if (!argument || argument.value.kind === Kind.NULL) return Math.min(options.defaultPageSize, options.maxPageSize);
  if (argument.value.kind === Kind.INT) return Math.min(Math.max(Number.parseInt(argument.value.value, 10) || 1, 1), options.maxPageSize);
  return options.maxPageSize;
}

/** The cost of a selection set on `type`; list fields directly in it count `listFactor` times. */
function selectionCost(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType | null | undefined,
  listFactor: number,
  options: CostOptions,
  seen: ReadonlySet<string>,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = fieldsOf(type)?.[selection.name.value];
      if (selection.name.value.startsWith('__') || !field) {
        cost += 1;
        continue;
      }
      let fieldCost = 1;
      if (selection.selectionSet) {
        const paged = field.args.some((argument) => argument.name === 'first');
        const factor = paged ? pageOf(selection, options) : 1;
        const named = getNamedType(field.type);
        // A paged field that is itself the list (agentLeaderboard(first: N)) costs its items' fields N times; a
        // paged connection (calls(first: N)) costs the list fields under it (edges) N times.
        fieldCost +=
          paged && isList(field)
            ? factor * selectionCost(schema, fragments, selection.selectionSet, named, 1, options, seen)
            : selectionCost(schema, fragments, selection.selectionSet, named, factor, options, seen);
      }
      cost += isList(field) ? fieldCost * listFactor : fieldCost;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
      cost += selectionCost(schema, fragments, selection.selectionSet, on, listFactor, options, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue; // unknown fragments and cycles are validation errors of their own
      const on = schema.getType(fragment.typeCondition.name.value);
      cost += selectionCost(schema, fragments, fragment.selectionSet, on, listFactor, options, new Set([...seen, name]));
    }
  }
  return cost;
}

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  options: CostOptions,
): number {
  const root = schema.getRootType(operation.operation);
  return selectionCost(schema, fragments, operation.selectionSet, root, 1, options, new Set());
}

export function costRule(options: CostOptions) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const cost = operationCost(context.getSchema(), operation, fragments, options);
      if (cost > options.maxCost) {
        context.reportError(
          new GraphQLError(
            `the query costs ${cost}, more than the limit of ${options.maxCost} (API_MAX_COST; a field costs 1, a page's ` +
              `items count once per item of first, which counts as ${options.maxPageSize} when given as a variable): ` +
              'ask for fewer fields, pages or aliases',
            { nodes: [operation], extensions: { code: 'QUERY_TOO_COSTLY' } },
          ),
        );
      }
    },
  });
}

/** Every field under `type`, nested objects included (to `depth` levels), without fields that need arguments. */
export function everyField(type: GraphQLNamedType, depth = 4): string {
  const fields = fieldsOf(type);
  if (!fields) return '';
  return Object.values(fields)
    .filter((field) => field.args.every((argument) => !isNonNullType(argument.type) || argument.defaultValue !== undefined))
    .map((field) => {
      const named = getNamedType(field.type);
      if (!fieldsOf(named)) return field.name;
      return depth > 1 ? `${field.name} { ${everyField(named, depth - 1)} }` : '';
    })
    .filter((part) => part !== '')
    .join(' ');
}

/** The query fields that take `first` (the list queries), each with the cost of its largest page asking every field. */
export function largestPageCosts(schema: GraphQLSchema, maxPageSize: number): Array<{ field: string; cost: number }> {
  const query = schema.getQueryType();
  if (!query) return [];
  return Object.values(query.getFields())
    .filter((field) => field.args.some((argument) => argument.name === 'first'))
    .map((field) => {
      const document = parse(`{ ${field.name}(first: ${maxPageSize}) { ${everyField(getNamedType(field.type))} } }`);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const options = { maxCost: Number.POSITIVE_INFINITY, maxPageSize, defaultPageSize: maxPageSize };
      return { field: field.name, cost: operationCost(schema, operation, new Map(), options) };
    });
}

/**
 * The configuration problems of the cost limits (for a ConfigError): API_MAX_COST must hold the largest page of every
 * list query with every field (first = API_MAX_PAGE_SIZE), else a full page could never be asked for.
 */
export function costLimitProblems(config: { API_MAX_COST: number; API_MAX_PAGE_SIZE: number }): string[] {
  return largestPageCosts(buildSchema(typeDefs), config.API_MAX_PAGE_SIZE)
    .filter(({ cost }) => cost > config.API_MAX_COST)
    .map(
      ({ field, cost }) =>
        `API_MAX_COST: must be at least ${cost}, the cost of the largest page of ${field} (first = API_MAX_PAGE_SIZE = ` +
        `${config.API_MAX_PAGE_SIZE}, every field): raise API_MAX_COST or lower API_MAX_PAGE_SIZE ` +
        `(${shownValue('API_MAX_COST', String(config.API_MAX_COST))})`,
    );
}
