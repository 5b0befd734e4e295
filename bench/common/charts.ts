/**
 * The benchmark's charts, drawn as SVG by hand and rasterised to PNG with @resvg/resvg-js (a Rust
 * renderer whose prebuilt binary ships in an npm package: no browser, no download at run time).
 * Text uses the DejaVu Sans system font when the machine has it, else any sans-serif font found.
 */
import { Resvg } from '@resvg/resvg-js';
import { histogram, type OperatingPoint } from './metrics';

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const GOOD_COLOUR = '#1f77b4';
const POOR_COLOUR = '#d62728';
const GENUINE_COLOUR = '#2ca02c';
const IMPOSTOR_COLOUR = '#7f3fbf';
const GUIDE_COLOUR = '#888888';

interface Tick {
  value: number;
  label: string;
}

interface Axis {
  min: number;
  max: number;
  log: boolean;
  ticks: Tick[];
  /** Unlabelled grid lines (log axes: 2..9 x each decade). */
  minor?: number[];
  title: string;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface Series {
  label: string;
  colour: string;
  points: Array<[number, number]>;
  dash?: string;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function text(
  x: number,
  y: number,
  content: string,
  options: { size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: string; rotate?: number; fill?: string } = {},
): string {
  const { size = 14, anchor = 'start', weight = 'normal', rotate, fill = '#222' } = options;
  const transform = rotate === undefined ? '' : ` transform="rotate(${rotate} ${x} ${y})"`;
  return (
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${FONT}" font-size="${size}" ` +
    `font-weight="${weight}" text-anchor="${anchor}" fill="${fill}"${transform}>${escapeXml(content)}</text>`
  );
}

function scale(axis: Axis, from: number, to: number): (v: number) => number {
  const f = (v: number) => (axis.log ? Math.log10(v) : v);
  const a = f(axis.min);
  const b = f(axis.max);
  return (v) => from + ((f(v) - a) / (b - a)) * (to - from);
}

/** Powers of ten from 10^lo to 10^hi as ticks, with 2..9 x each decade as minor grid lines. */
function decades(lo: number, hi: number, label: (exponent: number) => string): Pick<Axis, 'ticks' | 'minor'> {
  const ticks: Tick[] = [];
  const minor: number[] = [];
  for (let e = lo; e <= hi; e++) {
    ticks.push({ value: 10 ** e, label: label(e) });
    if (e < hi) for (let m = 2; m <= 9; m++) minor.push(m * 10 ** e);
  }
  return { ticks, minor };
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '\u207b',
  '0': '\u2070',
  '1': '\u00b9',
  '2': '\u00b2',
  '3': '\u00b3',
  '4': '\u2074',
  '5': '\u2075',
  '6': '\u2076',
  '7': '\u2077',
  '8': '\u2078',
  '9': '\u2079',
};

function powerOfTen(exponent: number): string {
  if (exponent === 0) return '1';
  return `10${[...String(exponent)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** A plot: frame, grid, ticks, axis titles, clipped polylines, optional guides and a legend. */
function plot(
  id: string,
  box: Box,
  x: Axis,
  y: Axis,
  series: Series[],
  options: { title: string; extra?: (sx: (v: number) => number, sy: (v: number) => number) => string[] },
): string {
  const sx = scale(x, box.left, box.left + box.width);
  const sy = scale(y, box.top + box.height, box.top);
  const out: string[] = [];
  out.push(
    `<clipPath id="${id}"><rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}"/></clipPath>`,
  );
  out.push(`<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="#ffffff"/>`);
  for (const v of x.minor ?? [])
    out.push(`<line x1="${sx(v)}" y1="${box.top}" x2="${sx(v)}" y2="${box.top + box.height}" stroke="#eeeeee"/>`);
  for (const v of y.minor ?? [])
    out.push(`<line x1="${box.left}" y1="${sy(v)}" x2="${box.left + box.width}" y2="${sy(v)}" stroke="#eeeeee"/>`);
  for (const t of x.ticks) {
    const px = sx(t.value);
    out.push(`<line x1="${px}" y1="${box.top}" x2="${px}" y2="${box.top + box.height}" stroke="#d8d8d8"/>`);
    out.push(
      `<line x1="${px}" y1="${box.top + box.height}" x2="${px}" y2="${box.top + box.height + 6}" stroke="#333"/>`,
    );
    out.push(text(px, box.top + box.height + 24, t.label, { anchor: 'middle' }));
  }
  for (const t of y.ticks) {
    const py = sy(t.value);
    out.push(`<line x1="${box.left}" y1="${py}" x2="${box.left + box.width}" y2="${py}" stroke="#d8d8d8"/>`);
    out.push(`<line x1="${box.left - 6}" y1="${py}" x2="${box.left}" y2="${py}" stroke="#333"/>`);
    out.push(text(box.left - 10, py + 5, t.label, { anchor: 'end' }));
  }
  out.push(...(options.extra?.(sx, sy) ?? []));
  out.push(`<g clip-path="url(#${id})">`);
  for (const s of series) {
    const d = s.points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${sx(px).toFixed(2)},${sy(py).toFixed(2)}`).join('');
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2.2" stroke-linejoin="round"${dash}/>`);
  }
  out.push('</g>');
  out.push(
    `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#333"/>`,
  );
  out.push(text(box.left + box.width / 2, box.top - 14, options.title, { anchor: 'middle', size: 16, weight: 'bold' }));
  out.push(text(box.left + box.width / 2, box.top + box.height + 52, x.title, { anchor: 'middle', size: 15 }));
  out.push(text(box.left - 62, box.top + box.height / 2, y.title, { anchor: 'middle', size: 15, rotate: -90 }));
  return out.join('\n');
}

function legend(x: number, y: number, entries: Array<{ label: string; colour: string; dash?: string }>): string {
  const width = 20 + Math.max(...entries.map((e) => e.label.length)) * 7.6 + 44;
  const out = [
    `<rect x="${x}" y="${y}" width="${width}" height="${entries.length * 24 + 12}" fill="#ffffff" fill-opacity="0.92" stroke="#999"/>`,
  ];
  entries.forEach((e, k) => {
    const cy = y + 18 + k * 24;
    const dash = e.dash ? ` stroke-dasharray="${e.dash}"` : '';
    out.push(
      `<line x1="${x + 10}" y1="${cy}" x2="${x + 40}" y2="${cy}" stroke="${e.colour}" stroke-width="2.5"${dash}/>`,
    );
    out.push(text(x + 48, cy + 5, e.label, { size: 13 }));
  });
  return out.join('\n');
}

function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>\n${body}\n</svg>\n`
  );
}

export interface DetSeries {
  label: string;
  curve: OperatingPoint[];
  /** Operating points to mark, e.g. FNMR at FMR 1e-3 and 1e-4. */
  marks: OperatingPoint[];
}

function percentLabel(v: number): string {
  return `${+(v * 100).toFixed(1)}%`;
}

/**
 * DET curve: FMR on a log x axis (down to 1e-6), FNMR on a linear y axis in percent. A curve is
 * drawn as steps over its candidate thresholds; points with FMR 0 cannot be shown on a log axis and
 * run off the left edge. Shaded: FMR below `fmrResolution` (one impostor comparison), where the
 * curve only repeats its last measured step. Guides: FMR 1e-3 and 1e-4, and the 5% FNMR target.
 */
export function detChartSvg(series: [DetSeries, DetSeries], yMax: number, fmrResolution: number): string {
  const width = 960;
  const height = 620;
  const box = { left: 100, top: 60, width: 820, height: 470 };
  const xMin = 1e-6;
  const x: Axis = {
    min: xMin,
    max: 1,
    log: true,
    ...decades(-6, 0, powerOfTen),
    title: 'FMR (false match rate, log scale)',
  };
  const step = yMax <= 0.2 ? 0.02 : yMax <= 0.5 ? 0.05 : 0.1;
  const y: Axis = {
    // A little below 0, so that a curve lying at FNMR 0 shows above the frame.
    min: -yMax / 80,
    max: yMax,
    log: false,
    ticks: Array.from({ length: Math.round(yMax / step) + 1 }, (_, k) => ({
      value: k * step,
      label: percentLabel(k * step),
    })),
    title: 'FNMR (false non-match rate)',
  };
  const colours = [GOOD_COLOUR, POOR_COLOUR];
  const lines: Series[] = series.map((s, k) => {
    // Steps: FMR moves at constant FNMR, then FNMR at constant FMR. Drop FMR 0 (log axis) and
    // points that would land on the same pixel column, keeping every change of FNMR.
    const points: Array<[number, number]> = [];
    let prev: OperatingPoint | undefined;
    for (const p of s.curve) {
      const fmr = Math.max(p.fmr, xMin / 2);
      if (prev) points.push([fmr, prev.fnmr]);
      points.push([fmr, p.fnmr]);
      prev = p;
      if (p.fmr === 0) break;
    }
    return { label: s.label, colour: colours[k]!, points: thin(points) };
  });
  const body = plot('det', box, x, y, lines, {
    title: 'DET curve, baseline matcher, 1:1 (held-out synthetic fingers)',
    extra: (sx, sy) => {
      const out: string[] = [];
      if (fmrResolution > xMin) {
        const edge = sx(fmrResolution);
        out.push(
          `<rect x="${box.left}" y="${box.top}" width="${edge - box.left}" height="${box.height}" fill="#000000" fill-opacity="0.06"/>`,
        );
        const cx = (box.left + edge) / 2 + 4;
        const cy = box.top + box.height / 2;
        out.push(
          text(cx, cy, 'FMR < 1 impostor: not measured', { size: 12, fill: '#555', anchor: 'middle', rotate: -90 }),
        );
      }
      for (const [v, label] of [
        [1e-3, 'FMR 10\u207b\u00b3'],
        [1e-4, 'FMR 10\u207b\u2074'],
      ] as const) {
        out.push(
          `<line x1="${sx(v)}" y1="${box.top}" x2="${sx(v)}" y2="${box.top + box.height}" stroke="${GUIDE_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        );
        out.push(text(sx(v) + 4, box.top + 16, label, { size: 12, fill: '#555' }));
      }
      if (0.05 <= yMax) {
        out.push(
          `<line x1="${box.left}" y1="${sy(0.05)}" x2="${box.left + box.width}" y2="${sy(0.05)}" stroke="#e69500" stroke-width="1.5" stroke-dasharray="2 3"/>`,
        );
        out.push(
          text(box.left + box.width - 6, sy(0.05) - 6, 'target: FNMR 5% at FMR 10\u207b\u00b3', {
            size: 12,
            anchor: 'end',
            fill: '#b06f00',
          }),
        );
      }
      series.forEach((s, k) => {
        for (const m of s.marks) {
          if (m.fmr <= 0 || m.fnmr > yMax) continue;
          out.push(
            `<circle cx="${sx(m.fmr)}" cy="${sy(m.fnmr)}" r="4.5" fill="${colours[k]}" stroke="#ffffff" stroke-width="1.5"/>`,
          );
        }
      });
      return out;
    },
  });
  const key = legend(
    box.left + box.width - 330,
    box.top + 50,
    series.map((s, k) => ({ label: s.label, colour: colours[k]! })),
  );
  return svgDocument(width, height, `${body}\n${key}`);
}

/** Keeps the first and last points and every point that changes y or moves x by a visible amount (log x). */
function thin(points: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    const last = out[out.length - 1];
    const isLast = k === points.length - 1;
    if (!last || isLast || p[1] !== last[1] || Math.abs(Math.log10(p[0] / last[0])) > 0.002) out.push(p);
  }
  return out;
}

export interface DistributionPanel {
  title: string;
  genuine: number[];
  impostor: number[];
}

/**
 * Score distributions: one panel per probe profile, genuine and impostor histograms (bins of 1 over
 * scores 0-100) as step lines on a log count axis. Empty bins are drawn at the bottom edge.
 */
export function scoreDistributionSvg(panels: [DistributionPanel, DistributionPanel]): string {
  const width = 1240;
  const height = 560;
  const bins = 100;
  const counts = panels.map((p) => ({
    genuine: histogram(p.genuine, 0, 100, bins),
    impostor: histogram(p.impostor, 0, 100, bins),
  }));
  const peak = Math.max(...counts.flatMap((c) => [...c.genuine, ...c.impostor]));
  const top = Math.max(1, Math.ceil(Math.log10(peak)));
  const yMin = 0.5;
  const y: Axis = {
    min: yMin,
    max: 10 ** top,
    log: true,
    ...decades(0, top, (e) => (e <= 3 ? String(10 ** e) : powerOfTen(e))),
    title: 'comparisons per bin (log scale)',
  };
  const x: Axis = {
    min: 0,
    max: 100,
    log: false,
    ticks: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((v) => ({ value: v, label: String(v) })),
    title: 'score (100 \u00d7 paired\u00b2 / (probe minutiae \u00d7 enrolled minutiae)), bins of 1',
  };
  const steps = (values: number[]): Array<[number, number]> =>
    values.flatMap((c, k): Array<[number, number]> => {
      const v = c === 0 ? yMin : c;
      return [
        [k, v],
        [k + 1, v],
      ];
    });
  const body = panels
    .map((panel, k) => {
      const box = { left: 100 + k * 590, top: 60, width: 500, height: 410 };
      const c = counts[k]!;
      const series: Series[] = [
        {
          label: `genuine (${panel.genuine.length.toLocaleString('en-US')})`,
          colour: GENUINE_COLOUR,
          points: steps(c.genuine),
        },
        {
          label: `impostor (${panel.impostor.length.toLocaleString('en-US')})`,
          colour: IMPOSTOR_COLOUR,
          points: steps(c.impostor),
        },
      ];
      return [
        plot(`dist${k}`, box, x, y, series, { title: panel.title }),
        legend(box.left + box.width - 200, box.top + 12, series),
      ].join('\n');
    })
    .join('\n');
  return svgDocument(width, height, body);
}

/** Rasterises an SVG at `zoom` x its size. */
export function svgToPng(svg: string, zoom = 1.5): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
