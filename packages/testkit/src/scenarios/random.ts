// A small seeded random source (mulberry32): the same seed gives the same calls, cheaply.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  hex(length: number): string;
  digits(length: number): string;
  pick<T>(values: readonly T[]): T;
  /** Splits total into `parts` integers of at least total / (2 * parts) each that sum to total. */
  split(total: number, parts: number): number[];
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    hex: (length) => Array.from({ length }, () => int(0, 15).toString(16)).join(''),
    digits: (length) => `${int(1, 9)}${Array.from({ length: length - 1 }, () => int(0, 9)).join('')}`,
    pick: (values) => {
      const value = values[int(0, values.length - 1)];
      if (value === undefined) throw new Error('pick needs a non-empty list');
      return value;
    },
    split: (total, parts) => {
      if (parts <= 1) return [total];
      const floor = Math.floor(total / (2 * parts));
      const rest = total - floor * parts;
      const cuts = Array.from({ length: parts - 1 }, () => int(0, rest)).sort((a, b) => a - b);
      const bounds = [0, ...cuts, rest];
      return bounds.slice(1).map((bound, index) => floor + bound - (bounds[index] ?? 0));
    },
  };
}
