// A list of fixed-height rows that renders only the rows in view (plus a few), so 5,000 agents cost what 30 do. Callers
// key rows by their index: when the list is re-sorted, the row elements stay and show other items (new elements for
// every reorder were Blink memory to collect).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export function VirtualList<T>({
  items,
  rowHeight,
  render,
  className,
  label,
}: {
  items: T[];
  rowHeight: number;
  render: (item: T, index: number) => ComponentChildren;
  className?: string;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const update = () => setView({ top: element.scrollTop, height: element.clientHeight });
    update();
    element.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, []);
  const overscan = 6;
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const rows: ComponentChildren[] = [];
  for (let index = first; index < last; index += 1) rows.push(render(items[index] as T, index));
  return (
    <div class={`vlist ${className ?? ''}`} ref={host} data-label={label}>
      <div class="vlist-space" style={{ height: `${items.length * rowHeight}px` }}>
        <div class="vlist-rows" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
