// The record schemas and the table columns agree: every field of a record has its column (the snake_case of its name),
// and every column of legs and sessions but the writer's own comes from a field.
import { describe, expect, it } from 'vitest';
import { completedLegRecordSchema, sessionSummaryRecordSchema } from '../records.js';
import { legRecordColumns, legsColumns, sessionRecordColumns, sessionsColumns, writerColumns } from './tables.js';

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const fieldColumns = (shape: object) =>
  Object.keys(shape)
    .filter((field) => field !== 'kind')
    .map(snake)
    .sort();

describe('table columns', () => {
  it('of legs are the fields of a completed leg record, plus the writer’s own', () => {
    expect([...legRecordColumns].sort()).toEqual(fieldColumns(completedLegRecordSchema.shape));
    expect(Object.keys(legsColumns).filter((column) => !legRecordColumns.includes(column as never))).toEqual([...writerColumns]);
  });

  it('of sessions are the fields of a session summary record, plus the writer’s own', () => {
    expect([...sessionRecordColumns].sort()).toEqual(fieldColumns(sessionSummaryRecordSchema.shape));
    expect(Object.keys(sessionsColumns).filter((column) => !sessionRecordColumns.includes(column as never))).toEqual([...writerColumns]);
  });
});
