// A sparkline's SVG paths (pure): the points of an hour scaled into a 1000 x 100 box (the SVG stretches it over the
// tile), the line broken where a value is missing or points are more than two and a half steps apart, and the area
// under it. The y scale runs from the hour's lowest to its highest value (a flat line sits in the middle, or at the
// bottom when it is zero).

export const BOX_W = 1000;
export const BOX_H = 100;
/** Room above and below the line for its stroke. */
const PAD = 6;

export interface SparkPaths {
  line: string;
  area: string;
  min: number | null;
  max: number | null;
}

type Point = [number, number];

const round = (value: number) => Math.round(value * 10) / 10;
const first = (part: Point[]) => part[0] as Point;
const last = (part: Point[]) => part[part.length - 1] as Point;
const joined = (part: Point[]) => part.map(([px, py]) => `${px},${py}`).join('L');
/** A lone point is drawn as a short dash, so it shows. */
function dashed(part: Point[]): Point[] {
  if (part.length > 1) return part;
  const [x, y] = first(part);
  return [
    [x, y],
    [x + 4 > BOX_W ? x - 4 : x + 4, y],
  ];
}

export function sparkPaths(points: ReadonlyArray<readonly [number, number | null]>, from: number, to: number, stepS: number): SparkPaths {
  const shown = points.filter(([at]) => at >= from && at <= to);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [, value] of shown) {
    if (value === null || Number.isNaN(value)) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (min > max || to <= from) return { line: '', area: '', min: null, max: null };
  const x = (at: number) => round(((at - from) / (to - from)) * BOX_W);
  // A flat line: at the bottom when it is zero all along, else in the middle.
  const flat = min === 0 ? BOX_H - PAD : BOX_H / 2;
  const y = (value: number) => round(max === min ? flat : PAD + (1 - (value - min) / (max - min)) * (BOX_H - 2 * PAD));
  const gapMs = stepS * 1000 * 2.5;
  const runs: Point[][] = [];
  let run: Point[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const [at, value] of shown) {
    if (value === null || Number.isNaN(value) || at - lastAt > gapMs) {
      if (run.length > 0) runs.push(run);
      run = [];
    }
    if (value !== null && !Number.isNaN(value)) run.push([x(at), y(value)]);
    lastAt = at;
  }
  if (run.length > 0) runs.push(run);
  const drawn = runs.map(dashed);
  const line = drawn.map((part) => `M${joined(part)}`).join('');
  const area = drawn.map((part) => `M${first(part)[0]},${BOX_H}L${joined(part)}L${last(part)[0]},${BOX_H}Z`).join('');
  return { line, area, min, max };
}
