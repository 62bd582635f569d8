// Seeded randomness for the simulator (pure-rand's xoroshiro128+), with the distributions call traffic needs.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(values: readonly T[]): T;
  /** A draw of the exponential distribution with the given rate (mean 1 / rate). */
  exponential(rate: number): number;
  /** A draw of the log-normal distribution with the given median and sigma (of the underlying normal). */
  logNormal(median: number, sigma: number): number;
}

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
  const next = () => uniformFloat64(rng);
  const normal = () => {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    int: (min, max) => uniformInt(rng, min, max),
    chance: (p) => next() < p,
    pick: (values) => {
      const value = values[uniformInt(rng, 0, values.length - 1)];
      if (value === undefined) throw new Error('pick needs a non-empty list');
      return value;
    },
    exponential: (rate) => -Math.log(1 - next()) / rate,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
  };
}
