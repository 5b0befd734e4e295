/**
 * Horizontal bar charts for the benchmark report, as SVG (rasterised with `svgToPng` of
 * bench/common/charts.ts). One row per category; each row holds one bar per series
 * (grouped) or one bar split into the series (stacked).
 */

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

export interface BarSeries {
  label: string;
  /** One value per category, in the categories' order. */
  values: number[];
  colour?: string;
}

export interface BarChart {
  title: string;
  categories: string[];
  series: BarSeries[];
  /** Axis title, with the unit. */
  axisTitle: string;
  /** Dashed vertical line with a label (a target). */
  marker?: { value: number; label: string };
  /** How a value is printed at the end of its bar. @default one decimal */
  format?: (value: number) => string;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, content: string, size = 13, anchor = 'start', weight = 'normal'): string {
  return (
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${FONT}" font-size="${size}" ` +
    `text-anchor="${anchor}" font-weight="${weight}" fill="#222">${escapeXml(content)}</text>`
  );
}

const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** A round axis maximum at or above `value` (at most 25% above it). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return NICE_STEPS.map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power;
}

function layout(chart: BarChart, rowHeight: number) {
  const left = 170;
  const width = 560;
  const top = 48;
  const legendHeight = 26;
  const height = chart.categories.length * rowHeight;
  return { left, width, top, height, total: top + height + 52 + legendHeight, svgWidth: left + width + 90 };
}

function frame(chart: BarChart, box: ReturnType<typeof layout>, max: number, body: string[]): string {
  const x = (value: number) => box.left + (value / max) * box.width;
  const parts = [
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(box.svgWidth / 2, 26, chart.title, 15, 'middle', 'bold'),
  ];
  for (let i = 0; i <= 5; i++) {
    const value = (max / 5) * i;
    parts.push(
      `<line x1="${x(value)}" y1="${box.top}" x2="${x(value)}" y2="${box.top + box.height}" stroke="#ddd"/>`,
      text(x(value), box.top + box.height + 16, Number(value.toPrecision(3)).toString(), 11, 'middle'),
    );
  }
  parts.push(text(box.left + box.width / 2, box.top + box.height + 36, chart.axisTitle, 12, 'middle'));
  parts.push(...body);
  if (chart.marker) {
    const mx = x(chart.marker.value);
    parts.push(
      `<line x1="${mx}" y1="${box.top - 6}" x2="${mx}" y2="${box.top + box.height}" stroke="#d62728" stroke-dasharray="5,4"/>`,
      text(mx + 4, box.top - 8, chart.marker.label, 11),
    );
  }
  let legendX = box.left;
  const legendY = box.total - 16;
  chart.series.forEach((series, i) => {
    const colour = series.colour ?? PALETTE[i % PALETTE.length];
    parts.push(`<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" fill="${colour}"/>`);
    parts.push(text(legendX + 16, legendY, series.label, 12));
    legendX += 30 + series.label.length * 7;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${box.svgWidth}" height="${box.total}" ` +
    `viewBox="0 0 ${box.svgWidth} ${box.total}">${parts.join('')}</svg>`
  );
}

/** One bar per series in each category's row. */
export function groupedBarChartSvg(chart: BarChart): string {
  const barHeight = 14;
  const rowHeight = chart.series.length * (barHeight + 3) + 14;
  const box = layout(chart, rowHeight);
  const max = niceMax(Math.max(...chart.series.flatMap((series) => series.values), chart.marker?.value ?? 0));
  const format = chart.format ?? ((value: number) => value.toFixed(1));
  const body: string[] = [];
  chart.categories.forEach((category, row) => {
    const rowTop = box.top + row * rowHeight + 7;
    body.push(text(box.left - 8, rowTop + (rowHeight - 14) / 2 + 4, category, 12, 'end'));
    chart.series.forEach((series, i) => {
      const value = series.values[row] ?? 0;
      const y = rowTop + i * (barHeight + 3);
      const w = (value / max) * box.width;
      body.push(
        `<rect x="${box.left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${series.colour ?? PALETTE[i % PALETTE.length]}"/>`,
        text(box.left + w + 4, y + barHeight - 3, format(value), 11),
      );
    });
  });
  return frame(chart, box, max, body);
}

/** One bar per category, split into the series; the total is printed at its end. */
export function stackedBarChartSvg(chart: BarChart): string {
  const rowHeight = 30;
  const box = layout(chart, rowHeight);
  const totals = chart.categories.map((_, row) => chart.series.reduce((sum, s) => sum + (s.values[row] ?? 0), 0));
  const max = niceMax(Math.max(...totals, chart.marker?.value ?? 0));
  const format = chart.format ?? ((value: number) => value.toFixed(1));
  const body: string[] = [];
  chart.categories.forEach((category, row) => {
    const y = box.top + row * rowHeight + 6;
    body.push(text(box.left - 8, y + 13, category, 12, 'end'));
    let offset = 0;
    chart.series.forEach((series, i) => {
      const w = ((series.values[row] ?? 0) / max) * box.width;
      body.push(
        `<rect x="${(box.left + offset).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="18" fill="${series.colour ?? PALETTE[i % PALETTE.length]}"/>`,
      );
      offset += w;
    });
    body.push(text(box.left + offset + 4, y + 13, format(totals[row] ?? 0), 11));
  });
  return frame(chart, box, max, body);
}
