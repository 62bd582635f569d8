// A page reads only the legs columns of the Call fields asked for (call-node.ts callColumns): every field of the
// schema's Call type must come out of callFromRow the same from those columns alone as from every column, so a field
// whose columns the map forgets fails here, not on a user's screen.
import { legRecordColumns } from '@callpulse/contracts';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { typeDefs } from '../src/graphql/type-defs.js';
import { type CallNode, callColumns, callFromRow, type LegRow, legRowColumns } from '../src/history/call-node.js';

const callFields = Object.keys((buildSchema(typeDefs).getType('Call') as GraphQLObjectType).getFields());

/** A row whose every column holds a value of its own (numbers distinct and non-zero, flags 1). */
const full = Object.fromEntries(
  legRecordColumns.map((column, i) => [
    column,
    /_ms$|_count$|^version$|^schema_version$|^last_sequence$/.test(column) ? 1000 + i : `v-${column}`,
  ]),
) as Record<string, string | number>;
for (const flag of ['queue_call', 'ended_during_hold', 'missed_call', 'recorded']) full[flag] = 1;
full.direction = 'Inbound';
full.result = 'Answered';
full.ended_by = 'agent';

/** The row as a page reading only `read` gets it: the other columns empty text (legRowColumns' placeholders). */
const readOnly = (read: readonly string[]): LegRow =>
  Object.fromEntries(legRecordColumns.map((column) => [column, read.includes(column) ? full[column] : ''])) as unknown as LegRow;

describe('callColumns', () => {
  it.each(callFields.filter((field) => field !== 'agent'))('reads what %s is made of', (field) => {
    const whole = callFromRow(full as unknown as LegRow)[field as keyof CallNode];
    expect(callFromRow(readOnly(callColumns([field])))[field as keyof CallNode]).toEqual(whole);
  });

  it('reads the extension for the agent (the directory resolves it from extensionId)', () => {
    expect(callColumns(['agent'])).toContain('extension_id');
  });

  it('always reads the leg key and start; unknown names (e.g. __typename) add nothing', () => {
    expect(callColumns(['__typename'])).toEqual(['version', 'telephony_session_id', 'party_id', 'start_ms']);
    expect(callColumns(callFields)).toEqual(
      [...legRecordColumns].filter((c) => !['schema_version', 'queue_call', 'event_count', 'last_sequence'].includes(c)),
    );
  });

  it('selects placeholders named apart from the columns for what is not read', () => {
    expect(legRowColumns(['party_id'])).toContain("'' AS unread_talk_ms");
    expect(legRowColumns(['party_id'])).toContain('party_id');
    expect(legRowColumns(['party_id'])).toHaveLength(legRecordColumns.length);
  });
});
