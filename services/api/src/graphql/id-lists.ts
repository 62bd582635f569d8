// Lists of ids in arguments: bounded in length, each non-empty.
import { badInput } from './errors.js';

export const MAX_IDS = 10000;

export function checkIds(ids: readonly string[] | null | undefined, argument: string): readonly string[] | null {
  if (ids == null) return null;
  if (ids.length > MAX_IDS) throw badInput(`${argument} may hold at most ${MAX_IDS} ids, got ${ids.length}`, argument);
  for (const id of ids) if (id.trim() === '') throw badInput(`${argument} contains an empty id`, argument);
  return ids;
}
