/**
 * Minutiae records written by other software (<folder>/iso, <folder>/ansi378) through decodeIsoTemplate
 * and the baseline matcher, with the scores next to the fusion thresholds. A report on a small sample,
 * not a calibration: do not tune the thresholds on it. Exits 2 if the folder is missing, 1 if no
 * record decodes, 0 otherwise. Docs: docs/biometrics/real-templates.md.
 *
 *   npx tsx bench/biometrics/real-templates.ts [folder=../shared/testdata] [--json FILE]
 *
 * FingerJetFX files are <card a/b><subject>_<finger>p: the same subject and finger on both cards is a
 * genuine pair, any other pair an impostor. The standard's worked example as written by FingerprintIO
 * and by NIST's biomdi is one record in several encodings: a decoding check, not a genuine pair. Each
 * pair is scored both ways and scores the larger (the matcher is not guaranteed symmetric).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_THRESHOLDS, FINGER_EVIDENCE_CAP, FINGER_NOISE_FLOOR, fingerEvidence } from '#core/biometrics/fusion';
import { decodeIsoTemplate, IsoTemplateError, ppiToPpcm } from '#core/biometrics/iso-19794-2';
import { baselineMatcher } from '#core/biometrics/matcher';
import { DISTANCE_TOL } from '#core/biometrics/matching/tuning';
import type { MinutiaeTemplate } from '#core/schemas';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUBFOLDERS = ['iso', 'ansi378'] as const;
/** The resolution of the synthetic fingers the matcher's pixel tolerances were set on. */
const MATCHER_PPI = 500;
/** Single-finger figures quoted in the comment above DEFAULT_THRESHOLDS (synthetic, seed 20081027). */
const SYNTHETIC = { genuineGoodMedian: 68.5, genuineGoodMin: 41.8, impostorMedian: 2.5, impostorP99: 8.02, max: 16 };
const FINGERJET = /^fingerjetfx-([ab])(\d+)_(\d+)p\./;
const WORKED_EXAMPLE = /^(fingerprintio|biomdi)-/;

interface FileRow {
  file: string;
  folder: string;
  status: 'accepted' | 'refused';
  code?: string;
  message?: string;
  layout?: string;
  views?: number;
  minutiae?: number;
  resolutionPpi?: number;
}

type Loaded = { row: FileRow; template?: MinutiaeTemplate };

interface PairScore {
  kind: 'genuine' | 'impostor' | 'same-record';
  a: string;
  b: string;
  /** Only for impostors: the same finger number of two different subjects, as a tenprint search compares. */
  samePosition: boolean;
  ab: number;
  ba: number;
  score: number;
  evidence: number;
}

type Summary = { count: number; min: number; median: number; max: number };

/** The folder (relative to the project root, or absolute) and the JSON file; undefined for bad arguments. */
function parseArgs(argv: string[]): { folder: string; json?: string } | undefined {
  let folder = '../shared/testdata';
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json' && argv[i + 1]) json = argv[++i];
    else if (arg.startsWith('-')) return undefined;
    else folder = arg;
  }
  return { folder: isAbsolute(folder) ? folder : resolve(ROOT, folder), json };
}

function load(folder: string, sub: string, file: string): Loaded {
  const bytes = readFileSync(join(folder, sub, file));
  try {
    const decoded = decodeIsoTemplate(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const { template, layout, viewCount: views } = decoded;
    const stats = { minutiae: template.minutiae.length, resolutionPpi: template.resolutionPpi };
    return { row: { file, folder: sub, status: 'accepted', layout, views, ...stats }, template };
  } catch (error) {
    if (!(error instanceof IsoTemplateError)) throw error;
    return { row: { file, folder: sub, status: 'refused', code: error.code, message: error.message } };
  }
}

function loadAll(folder: string): Loaded[] {
  const files = (sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)).sort() : []);
  return SUBFOLDERS.flatMap((sub) => files(sub).map((file) => load(folder, sub, file)));
}

/** What a pair of files is, or undefined for a pair this check does not compare. */
function classify(a: string, b: string): Pick<PairScore, 'kind' | 'samePosition'> | undefined {
  if (WORKED_EXAMPLE.test(a) && WORKED_EXAMPLE.test(b)) return { kind: 'same-record', samePosition: false };
  const [, cardA, subjectA, fingerA] = FINGERJET.exec(a) ?? [];
  const [, cardB, subjectB, fingerB] = FINGERJET.exec(b) ?? [];
  if (cardA === undefined || cardB === undefined) return undefined;
  if (cardA !== cardB && subjectA === subjectB && fingerA === fingerB) return { kind: 'genuine', samePosition: true };
  return { kind: 'impostor', samePosition: subjectA !== subjectB && fingerA === fingerB };
}

function scorePairs(records: Loaded[]): PairScore[] {
  const out: PairScore[] = [];
  records.forEach((a, i) =>
    records.slice(i + 1).forEach((b) => {
      const what = classify(a.row.file, b.row.file);
      if (!what) return;
      const ab = baselineMatcher.compare(a.template!, b.template!);
      const ba = baselineMatcher.compare(b.template!, a.template!);
      const score = Math.max(ab, ba);
      out.push({ ...what, a: a.row.file, b: b.row.file, ab, ba, score, evidence: fingerEvidence(score) });
    }),
  );
  return out;
}

/** Min, median (the middle two averaged for an even count) and max. */
function summarise(values: number[]): Summary {
  const s = [...values].sort((x, y) => x - y);
  const mid = (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
  return { count: s.length, min: s[0] ?? NaN, median: s.length ? mid : NaN, max: s[s.length - 1] ?? NaN };
}

const f2 = (v: number): string => (Number.isNaN(v) ? '-' : v.toFixed(2));
const share = (pairs: PairScore[], test: (p: PairScore) => boolean) => `${pairs.filter(test).length}/${pairs.length}`;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('  '));
}

function fileTable(rows: FileRow[]): string[] {
  const head = ['file', 'folder', 'layout', 'views', 'minutiae', 'resolution', 'decoder'];
  const cells = rows.map((r) => [
    r.file,
    r.folder,
    r.layout ?? '-',
    String(r.views ?? '-'),
    String(r.minutiae ?? '-'),
    r.resolutionPpi === undefined ? '-' : `${r.resolutionPpi} ppi (${ppiToPpcm(r.resolutionPpi)} px/cm)`,
    r.status === 'accepted' ? 'accepted' : `refused: ${r.code}`,
  ]);
  return table([head, ...cells]);
}

function pairTable(pairs: PairScore[]): string[] {
  const needed = (e: number) => (e > 0 ? String(Math.ceil(DEFAULT_THRESHOLDS.match / e)) : 'never');
  const head = ['  pair', 'a->b', 'b->a', 'score', 'evidence', 'fingers like it for a match'];
  const rows = pairs.map((p) => [
    `  ${p.a} / ${p.b}`,
    ...[p.ab, p.ba, p.score, p.evidence].map(f2),
    needed(p.evidence),
  ]);
  return pairs.length ? table([head, ...rows]) : ['  none'];
}

function resolutionLine(rows: FileRow[]): string {
  const off = rows.filter((r) => r.resolutionPpi !== MATCHER_PPI).map((r) => `${r.file} (${r.resolutionPpi} ppi)`);
  const why = `(the matcher pairs within a fixed ${DISTANCE_TOL} px and ignores resolutionPpi; the decoder does not rescale)`;
  return off.length === 0
    ? `resolution: every accepted record is ${MATCHER_PPI} ppi (${ppiToPpcm(MATCHER_PPI)} px/cm), the matcher's scale: no rescale needed ${why}`
    : `resolution: scored unscaled although not ${MATCHER_PPI} ppi ${why}: ${off.join(', ')}`;
}

function thresholdLines(genuine: PairScore[], impostor: PairScore[]): string[] {
  const { match, inconclusive } = DEFAULT_THRESHOLDS;
  const atCap = FINGER_NOISE_FLOOR + FINGER_EVIDENCE_CAP;
  const all = [...genuine, ...impostor];
  return [
    `noise floor ${FINGER_NOISE_FLOOR}: impostors above it ${share(impostor, (p) => p.score > FINGER_NOISE_FLOOR)}, ` +
      `genuine above it ${share(genuine, (p) => p.score > FINGER_NOISE_FLOOR)}`,
    `impostors above the synthetic impostor max (${SYNTHETIC.max}): ${share(impostor, (p) => p.score > SYNTHETIC.max)}; ` +
      `whose evidence alone reaches inconclusive (${inconclusive}): ${share(impostor, (p) => p.evidence >= inconclusive)}`,
    `genuine whose evidence alone reaches inconclusive (${inconclusive}): ${share(genuine, (p) => p.evidence >= inconclusive)}; ` +
      `at the cap (score >= ${atCap}): ${share(genuine, (p) => p.score >= atCap)}`,
    `match ${match} and inconclusive ${inconclusive} are tenprint (fused) thresholds; one finger adds at most ${FINGER_EVIDENCE_CAP}, ` +
      `so a match needs at least ${Math.ceil(match / FINGER_EVIDENCE_CAP)} fingers at the cap`,
    `direction: a->b and b->a differ in ${share(all, (p) => Math.abs(p.ab - p.ba) > 0.005)} FingerJetFX pairs, ` +
      `by up to ${f2(Math.max(0, ...all.map((p) => Math.abs(p.ab - p.ba))))}`,
  ];
}

function syntheticLines(genuine: Summary, impostor: Summary): string[] {
  return table([
    ['  single finger', 'real', 'synthetic'],
    ['  genuine median', f2(genuine.median), f2(SYNTHETIC.genuineGoodMedian)],
    ['  genuine min', f2(genuine.min), f2(SYNTHETIC.genuineGoodMin)],
    ['  impostor median', f2(impostor.median), f2(SYNTHETIC.impostorMedian)],
    ['  impostor max', f2(impostor.max), `${f2(SYNTHETIC.max)} (p99 ${SYNTHETIC.impostorP99})`],
  ]);
}

function summaryLine(label: string, s: Summary): string {
  const cell = (name: string, v: number) => `${name} ${f2(v).padStart(6)}`;
  return `  ${label.padEnd(25)} n ${String(s.count).padStart(3)}  ${cell('min', s.min)}  ${cell('median', s.median)}  ${cell('max', s.max)}`;
}

function printPairs(sameRecord: PairScore[], genuine: PairScore[], impostor: PairScore[]): void {
  const byScore = [...impostor].sort((x, y) => y.score - x.score);
  const shown = new Set([...byScore.slice(0, 5), ...byScore.filter((p) => p.samePosition)]);
  console.log('\nscores both ways; a pair scores the larger; evidence = fingerEvidence(score)');
  console.log('same record, other encoding (a decoding check: should score very high, not a genuine pair):');
  console.log(pairTable(sameRecord).join('\n'));
  console.log('genuine (same finger, two cards):');
  console.log(pairTable(genuine).join('\n'));
  console.log('impostor, highest five and the same-position pairs (same finger number, other subject):');
  console.log(pairTable([...shown]).join('\n'));
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error('usage: npx tsx bench/biometrics/real-templates.ts [folder=../shared/testdata] [--json FILE]');
    return 2;
  }
  const { folder, json } = args;
  if (!existsSync(folder)) {
    console.error(`folder not found: ${folder}`);
    return 2;
  }
  const loaded = loadAll(folder);
  const rows = loaded.map((l) => l.row);
  const accepted = loaded.filter((l) => l.template);
  const where = relative(ROOT, folder) || '.';
  const { algorithm, version } = baselineMatcher;
  console.log(
    `records in ${where}/{${SUBFOLDERS.join(',')}}, decoded by decodeIsoTemplate; matcher ${algorithm} ${version}\n`,
  );
  console.log(fileTable(rows).join('\n'));
  if (accepted.length === 0) {
    console.error('no record could be decoded');
    return 1;
  }
  console.log(`\n${resolutionLine(accepted.map((l) => l.row))}`);

  const pairs = scorePairs(accepted);
  const [sameRecord, genuine, impostor] = (['same-record', 'genuine', 'impostor'] as const).map((kind) =>
    pairs.filter((p) => p.kind === kind),
  ) as [PairScore[], PairScore[], PairScore[]];
  const summary = {
    'genuine score': summarise(genuine.map((p) => p.score)),
    'genuine evidence': summarise(genuine.map((p) => p.evidence)),
    'impostor score': summarise(impostor.map((p) => p.score)),
    'impostor evidence': summarise(impostor.map((p) => p.evidence)),
    'impostor, same position': summarise(impostor.filter((p) => p.samePosition).map((p) => p.score)),
  };
  printPairs(sameRecord, genuine, impostor);
  console.log(['\nsummary', ...Object.entries(summary).map(([label, s]) => summaryLine(label, s))].join('\n'));
  console.log(`\n${thresholdLines(genuine, impostor).join('\n')}`);
  console.log('\nagainst the synthetic calibration (comment above DEFAULT_THRESHOLDS, good probes):');
  console.log(syntheticLines(summary['genuine score'], summary['impostor score']).join('\n'));

  if (json) {
    const thresholds = { ...DEFAULT_THRESHOLDS, noiseFloor: FINGER_NOISE_FLOOR, evidenceCap: FINGER_EVIDENCE_CAP };
    const report = { matcher: { algorithm, version }, thresholds, synthetic: SYNTHETIC, files: rows, pairs, summary };
    writeFileSync(resolve(json), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${json}`);
  }
  return 0;
}

process.exitCode = main();
