// A 60-minute sparkline of one KPI, drawn by uPlot on a canvas (no axes, no legend); redrawn when samples arrive.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function Sparkline({ data, width = 120, height = 28 }: { data: [number[], Array<number | null>]; width?: number; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!host.current) return;
    const stroke = getComputedStyle(host.current).color || '#888';
    plot.current = new uPlot(
      {
        width,
        height,
        pxAlign: false,
        cursor: { show: false },
        legend: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: { x: { time: true }, y: { auto: true, range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke, width: 1.5, fill: 'rgba(127,127,127,0.12)', points: { show: false }, spanGaps: true }],
      },
      data as uPlot.AlignedData,
      host.current,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [width, height]);
  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);
  return <div class="spark" ref={host} aria-hidden="true" />;
}
