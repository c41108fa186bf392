/**
 * The main graph: one metric over time (uPlot), with the comparison period as a dashed line
 * aligned by position (day 3 of this period over day 3 of the previous one).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { DimensionValue } from '../api.js';
import { formatMetric } from '../format.js';
import { THEME_EVENT } from '../theme.js';
import type { Interval } from '../view-state.js';

export interface GraphData {
  labels: DimensionValue[];
  values: number[];
  /** Comparison values by position, when comparing. */
  comparison: number[] | undefined;
  comparisonLabels: DimensionValue[] | undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Labels come as local 'YYYY-MM-DD' or 'YYYY-MM-DD HH:00:00' in the site's time zone: formatted without Date (no TZ shifts). */
export function formatBucket(label: DimensionValue | undefined, interval: Interval, long = false): string {
  const text = String(label ?? '');
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):)?/.exec(text);
  if (!m) return text;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  const day = Number(m[3]);
  if (interval === 'hour') return long ? `${month} ${day}, ${m[4]}:00` : `${m[4]}:00`;
  if (interval === 'month') return `${month} ${m[1]}`;
  return long ? `${month} ${day}, ${m[1]}` : `${month} ${day}`;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export function MainGraph({ data, metric, interval }: { data: GraphData | undefined; metric: string; interval: Interval }) {
  const box = useRef<HTMLDivElement>(null);
  const [theme, setTheme] = useState(0);
  useEffect(() => {
    const bump = () => setTheme((t) => t + 1);
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    window.addEventListener(THEME_EVENT, bump);
    media.addEventListener('change', bump);
    return () => { window.removeEventListener(THEME_EVENT, bump); media.removeEventListener('change', bump); };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || !data) return;
    const xs = data.labels.map((_, i) => i);
    const accent = cssVar('--accent');
    const muted = cssVar('--muted');
    const grid = cssVar('--grid');
    const fmt = (v: number | null) => (v === null || v === undefined ? '-' : formatMetric(metric, v));
    const series: uPlot.Series[] = [
      { label: 'Date', value: (_u, i) => (i === null || i === undefined ? '' : formatBucket(data.labels[i], interval, true)) },
      { label: 'This period', stroke: accent, width: 2, fill: `${accent}22`, points: { show: xs.length < 40 }, value: (_u, v) => fmt(v) },
    ];
    const aligned: uPlot.AlignedData = [xs, data.values];
    if (data.comparison) {
      series.push({ label: 'Comparison', stroke: muted, width: 1.5, dash: [6, 4], points: { show: false }, value: (_u, v) => fmt(v) });
      (aligned as unknown as Array<Array<number | null>>).push(xs.map((i) => data.comparison?.[i] ?? null));
    }
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: el.clientWidth < 500 ? 200 : 280,
      series,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [
        { ...axis, values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? formatBucket(data.labels[i], interval) : '')) },
        { ...axis, size: 56, values: (_u, splits) => splits.map((v) => fmt(v)) },
      ],
      legend: { show: true, live: true },
      cursor: { points: { size: 7 } },
    };
    const chart = new uPlot(options, aligned, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: el.clientWidth < 500 ? 200 : 280 }));
    resize.observe(el);
    return () => { resize.disconnect(); chart.destroy(); };
  }, [data, metric, interval, theme]);

  const total = data?.values.reduce((a, b) => a + b, 0) ?? 0;
  return (
    <div class="graph" ref={box} role="img" aria-label={data ? `${metric} per ${interval}: ${data.values.length} points, highest ${formatMetric(metric, Math.max(0, ...data.values))}, sum ${formatMetric(metric, total)}` : 'loading graph'} />
  );
}
