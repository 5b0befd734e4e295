/**
 * The load benchmark's chart, SVG drawn by hand in the style of bench/common/charts.ts
 * (rasterise it with that file's svgToPng): offered against achieved throughput, and latency
 * percentiles per offered rate, both on log axes.
 */
import { text } from '#bench/common/charts';
import type { LoadReport } from './load-report';

const BLUE = '#1f77b4';
const RED = '#d62728';
const GREEN = '#2ca02c';
const PURPLE = '#7f3fbf';
const GUIDE = '#888888';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface LogAxis {
  min: number;
  max: number;
  title: string;
}

interface Line {
  label: string;
  colour: string;
  points: Array<[number, number]>;
  dash?: string;
}

/** 1-2-5 ticks covering [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min * 0.999 && v <= max * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

/** A log range a little wider than the values, to whole 1-2-5 steps. */
export function logRange(values: number[]): { min: number; max: number } {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length === 0) return { min: 0.1, max: 10 };
  const steps = (v: number, down: boolean) => {
    const e = Math.floor(Math.log10(v));
    const candidates = [1, 2, 5, 10].map((m) => m * 10 ** e);
    return down ? Math.max(...candidates.filter((c) => c <= v)) : Math.min(...candidates.filter((c) => c >= v));
  };
  return { min: steps(Math.min(...finite), true), max: steps(Math.max(...finite), false) };
}

const label = (v: number) => (v >= 1 ? String(+v.toFixed(0)) : String(+v.toPrecision(1)));

type Guides = (sx: (v: number) => number, sy: (v: number) => number) => string[];

function panel(id: string, box: Box, x: LogAxis, y: LogAxis, lines: Line[], title: string, guides?: Guides): string {
  const sx = (v: number) =>
    box.left + ((Math.log10(v) - Math.log10(x.min)) / (Math.log10(x.max) - Math.log10(x.min))) * box.width;
  const sy = (v: number) =>
    box.top + box.height - ((Math.log10(v) - Math.log10(y.min)) / (Math.log10(y.max) - Math.log10(y.min))) * box.height;
  const out: string[] = [
    `<clipPath id="${id}"><rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}"/></clipPath>`,
    `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="#ffffff"/>`,
  ];
  for (const v of logTicks(x.min, x.max)) {
    const px = sx(v);
    out.push(`<line x1="${px}" y1="${box.top}" x2="${px}" y2="${box.top + box.height}" stroke="#d8d8d8"/>`);
    out.push(text(px, box.top + box.height + 24, label(v), { anchor: 'middle' }));
  }
  for (const v of logTicks(y.min, y.max)) {
    const py = sy(v);
    out.push(`<line x1="${box.left}" y1="${py}" x2="${box.left + box.width}" y2="${py}" stroke="#d8d8d8"/>`);
    out.push(text(box.left - 10, py + 5, label(v), { anchor: 'end' }));
  }
  out.push(`<g clip-path="url(#${id})">`);
  out.push(...(guides?.(sx, sy) ?? []));
  for (const line of lines) {
    const points = line.points.filter(([px, py]) => px > 0 && py > 0 && Number.isFinite(px) && Number.isFinite(py));
    if (points.length === 0) continue;
    const d = points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${sx(px).toFixed(2)},${sy(py).toFixed(2)}`).join('');
    const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : '';
    out.push(`<path d="${d}" fill="none" stroke="${line.colour}" stroke-width="2.2"${dash}/>`);
    for (const [px, py] of points) {
      out.push(`<circle cx="${sx(px).toFixed(2)}" cy="${sy(py).toFixed(2)}" r="3.5" fill="${line.colour}"/>`);
    }
  }
  out.push('</g>');
  out.push(
    `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#333"/>`,
  );
  out.push(text(box.left + box.width / 2, box.top - 14, title, { anchor: 'middle', size: 16, weight: 'bold' }));
  out.push(text(box.left + box.width / 2, box.top + box.height + 52, x.title, { anchor: 'middle', size: 15 }));
  out.push(text(box.left - 62, box.top + box.height / 2, y.title, { anchor: 'middle', size: 15, rotate: -90 }));
  const legendWidth = 20 + Math.max(...lines.map((l) => l.label.length)) * 7.6 + 44;
  out.push(
    `<rect x="${box.left + 10}" y="${box.top + 10}" width="${legendWidth}" height="${lines.length * 24 + 12}" fill="#ffffff" fill-opacity="0.92" stroke="#999"/>`,
  );
  lines.forEach((line, k) => {
    const cy = box.top + 28 + k * 24;
    const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : '';
    out.push(
      `<line x1="${box.left + 20}" y1="${cy}" x2="${box.left + 50}" y2="${cy}" stroke="${line.colour}" stroke-width="2.5"${dash}/>`,
    );
    out.push(text(box.left + 58, cy + 5, line.label, { size: 13 }));
  });
  return out.join('\n');
}

/** Offered vs achieved throughput (left) and ingest-to-record latency percentiles (right), per offered rate. */
export function loadChartSvg(report: LoadReport): string {
  const levels = [...report.levels].sort((a, b) => a.offeredPerSecond - b.offeredPerSecond);
  const offered = levels.map((l) => l.offeredPerSecond);
  const xRange = logRange(offered);
  const x: LogAxis = { ...xRange, title: 'offered load (bookings/s, log scale)' };

  const throughputValues = levels.flatMap((l) => [
    l.offeredPerSecond,
    l.rates.completionPerSecond,
    l.rates.throughputPerSecond,
  ]);
  const yThroughput: LogAxis = { ...logRange(throughputValues), title: 'achieved (bookings/s, log scale)' };
  const capacity = report.saturation.peakCompletionPerSecond;
  const throughput = panel(
    'throughput',
    { left: 100, top: 60, width: 430, height: 400 },
    x,
    yThroughput,
    [
      {
        label: 'completion rate',
        colour: BLUE,
        points: levels.map((l) => [l.offeredPerSecond, l.rates.completionPerSecond]),
      },
      {
        label: 'records / (last record - first POST)',
        colour: GREEN,
        points: levels.map((l) => [l.offeredPerSecond, l.rates.throughputPerSecond]),
      },
      {
        label: 'offered (achieved = offered)',
        colour: GUIDE,
        dash: '6 5',
        points: [
          [x.min, x.min],
          [x.max, x.max],
        ],
      },
    ],
    'Throughput',
    (sx, sy) =>
      Number.isFinite(capacity)
        ? [
            `<line x1="${sx(x.min)}" y1="${sy(capacity)}" x2="${sx(x.max)}" y2="${sy(capacity)}" stroke="${RED}" stroke-width="1.5" stroke-dasharray="3 4"/>`,
          ]
        : [],
  );

  const latencyValues = levels.flatMap((l) => [l.rates.latencyMs.p50, l.rates.latencyMs.p99].map((ms) => ms / 1000));
  const yLatency: LogAxis = { ...logRange(latencyValues), title: 'ingest-to-record latency (s, log scale)' };
  const latency = panel(
    'latency',
    { left: 660, top: 60, width: 430, height: 400 },
    x,
    yLatency,
    [
      { label: 'p50', colour: BLUE, points: levels.map((l) => [l.offeredPerSecond, l.rates.latencyMs.p50 / 1000]) },
      { label: 'p95', colour: PURPLE, points: levels.map((l) => [l.offeredPerSecond, l.rates.latencyMs.p95 / 1000]) },
      { label: 'p99', colour: RED, points: levels.map((l) => [l.offeredPerSecond, l.rates.latencyMs.p99 / 1000]) },
    ],
    'Latency',
  );
  const width = 1140;
  const height = 560;
  const caption =
    `Local runtime, ${report.machine.cores} cores, gallery ${report.gallery.identities}; ` +
    `red dotted line: capacity ${Number.isFinite(capacity) ? capacity.toFixed(2) : '-'} bookings/s; ` +
    `sustained up to ${report.saturation.sustainedPerSecond ?? '-'}/s offered`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>\n${throughput}\n${latency}\n` +
    `${text(width / 2, height - 14, caption, { anchor: 'middle', size: 13 })}\n</svg>\n`
  );
}
