// A 60-minute sparkline of one KPI: an SVG path (sparkline-path.ts) stretched over the tile's width by CSS, in the
// tile's colour (its threshold level). No canvas and no chart library per tile: twelve tiles stay a few DOM nodes, the
// line stays sharp on a TV, and a tile of any width is filled without measuring it.
import { BOX_H, BOX_W, type SparkPaths } from '../sparkline-path.js';

export function Sparkline({ paths, title, points }: { paths: SparkPaths; title: string; points: number }) {
  return (
    <svg class="spark" viewBox={`0 0 ${BOX_W} ${BOX_H}`} preserveAspectRatio="none" role="img" aria-label={title} data-points={points}>
      <title>{title}</title>
      {paths.area ? <path class="spark-area" d={paths.area} /> : null}
      {paths.line ? <path class="spark-line" d={paths.line} vector-effect="non-scaling-stroke" /> : null}
    </svg>
  );
}
