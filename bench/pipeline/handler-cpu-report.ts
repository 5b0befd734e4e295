/**
 * The handler CPU benchmark's results (handler-cpu.ts runs it): their shape, per-booking figures
 * summarised by step, group of bookings and phase, and the Markdown section. Pure: no I/O.
 */
import type { PhaseTotal } from '#bench/common/phase-timer';
import { percentiles } from '#bench/common/metrics';

export interface HandlerCpuOptions {
  /** Identities seeded in the gallery. @default 2000 (as the demo) */
  gallerySize: number;
  /** Bookings measured. @default 200 */
  bookings: number;
  /** Bookings run first and not measured, so the handlers are warm. @default 20 */
  warmup: number;
  /** Gallery seed; the bookings use seed + 1 (seed 1: the demo's gallery and bookings). @default 1 */
  seed: number;
  /**
   * Where fauxqs runs. In this process, its CPU serving the handlers' SQS calls would be counted as
   * theirs. @default 'child-process'
   */
  sqsEmulator?: SqsEmulatorPlacement;
}

export type SqsEmulatorPlacement = 'child-process' | 'in-process';

export type Step = 'match' | 'decide';
export const STEPS: readonly Step[] = ['match', 'decide'];

/** One handler invocation (one booking): totals and the phases recorded inside it. */
export interface StepSample {
  cpuMicros: number;
  wallMs: number;
  phases: Record<string, PhaseTotal>;
}

/** One measured booking: counts and timings only. */
export interface BookingSample {
  /** Whether the subject is enrolled in the gallery (ground truth). */
  mated: boolean;
  outcome: 'match' | 'inconclusive' | 'no-match';
  candidatesVerified: number;
  match: StepSample;
  decide: StepSample;
}

export interface HandlerCpuReport {
  options: Required<HandlerCpuOptions>;
  matedShare: number;
  gallery: { identities: number; seedSeconds: number };
  samples: BookingSample[];
  /** The handlers' Powertools settings during the run (the stack: INFO, metrics on). */
  powertools: { logLevel: string; metrics: boolean };
  machine: { cpu: string; cores: number; node: string; loadBefore: number[]; loadAfter: number[] };
  seconds: number;
}

export type BookingGroup = 'mated' | 'unmated' | 'all';
export const BOOKING_GROUPS: readonly BookingGroup[] = ['mated', 'unmated', 'all'];

/** A phase group: the part of a phase name before the first dot ('io.gallery' -> 'io'), or 'overhead'. */
export type PhaseGroup = 'search' | 'verification' | 'decision' | 'io' | 'overhead';
const GROUP_ORDER: readonly PhaseGroup[] = ['search', 'verification', 'decision', 'io', 'overhead'];

export const PHASE_GROUP_LABELS: Record<PhaseGroup, string> = {
  search: 'search (index keys, vote, ranking)',
  verification: 'verification (matcher comparisons)',
  decision: 'decision (policy, record)',
  io: 'I/O (SDK calls, encoding, decoding)',
  overhead: 'handler overhead (parsing, middy, Powertools)',
};

const IO_LABELS: Record<string, string> = {
  'io.gallery': 'gallery reads, decoding included',
  'io.decisions-queue': 'match result to the decisions queue',
  'io.records': 'records table: transaction, outbox marks',
  'io.audit': 'audit trail entry',
  'io.events': 'record event',
};

/** Short names for sentences. */
const GROUP_NAMES: Record<PhaseGroup, string> = {
  search: 'search',
  verification: 'verification',
  decision: 'decision',
  io: 'I/O',
  overhead: 'handler overhead',
};

export function phaseGroupOf(phase: string): PhaseGroup {
  const head = phase.split('.')[0] as PhaseGroup;
  return GROUP_ORDER.includes(head) && head !== 'overhead' ? head : 'io';
}

/**
 * CPU microseconds of one invocation by phase group. Overhead is what no phase covers: the total
 * less the phases, never below 0 (the phases' clock reads are the only source of a small excess).
 */
export function cpuByGroup(sample: StepSample): Partial<Record<PhaseGroup, number>> {
  const groups: Partial<Record<PhaseGroup, number>> = {};
  let covered = 0;
  for (const [phase, total] of Object.entries(sample.phases)) {
    const group = phaseGroupOf(phase);
    groups[group] = (groups[group] ?? 0) + total.cpuMicros;
    covered += total.cpuMicros;
  }
  groups.overhead = Math.max(0, sample.cpuMicros - covered);
  return groups;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
}

/** Mean and nearest-rank p50 / p95 (NaN for no values). */
export function summarise(values: readonly number[]): Summary {
  const [p50, p95] = percentiles(values, [0.5, 0.95]) as [number, number];
  const mean = values.length === 0 ? NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
  return { n: values.length, mean, p50, p95 };
}

export function samplesOf(report: HandlerCpuReport, group: BookingGroup): BookingSample[] {
  return group === 'all' ? report.samples : report.samples.filter((s) => s.mated === (group === 'mated'));
}

/** Phase groups that occur in a step, in a fixed order, overhead last. */
export function groupsOfStep(report: HandlerCpuReport, step: Step): PhaseGroup[] {
  const seen = new Set<PhaseGroup>(['overhead']);
  for (const sample of report.samples)
    for (const phase of Object.keys(sample[step].phases)) seen.add(phaseGroupOf(phase));
  return GROUP_ORDER.filter((group) => seen.has(group));
}

/** CPU ms per booking of a phase group (or the whole step) over a group of bookings. */
export function groupCpuMs(samples: readonly BookingSample[], step: Step, group: PhaseGroup | 'total'): Summary {
  return summarise(
    samples.map((s) => (group === 'total' ? s[step].cpuMicros : (cpuByGroup(s[step])[group] ?? 0)) / 1000),
  );
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2) : '-');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : '-');
const mean = (values: readonly number[]) => summarise(values).mean;

/** A Markdown table; the first `textColumns` columns are left-aligned, the rest (numbers) right-aligned. */
function table(header: string[], rows: string[][], textColumns = 1): string[] {
  const align = header.map((_, k) => (k < textColumns ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

function largestGroup(samples: readonly BookingSample[], step: Step, groups: PhaseGroup[]) {
  const total = groupCpuMs(samples, step, 'total').mean;
  const [top] = groups
    .map((group) => ({ group, ms: groupCpuMs(samples, step, group).mean }))
    .sort((a, b) => b.ms - a.ms);
  return { name: GROUP_NAMES[top!.group], share: top!.ms / total };
}

/** One or two sentences on what dominates, from the numbers. */
export function handlerCpuFindings(report: HandlerCpuReport): string[] {
  if (report.samples.length === 0) return ['No bookings were measured.'];
  const all = report.samples;
  const matchMs = groupCpuMs(all, 'match', 'total').mean;
  const decideMs = groupCpuMs(all, 'decide', 'total').mean;
  const [big, small] = matchMs >= decideMs ? (['match', 'decide'] as const) : (['decide', 'match'] as const);
  const ratio = Math.max(matchMs, decideMs) / Math.min(matchMs, decideMs);
  const sentences: string[] = [];
  const matchTop = largestGroup(all, 'match', groupsOfStep(report, 'match'));
  sentences.push(
    `Per booking, ${big} takes ${ratio.toFixed(1)}x the CPU of ${small} (${ms(matchMs)} ms against ${ms(decideMs)} ms, ` +
      `means of all bookings); in match, ${matchTop.name} is the largest part (${pct(matchTop.share)}).`,
  );
  const mated = samplesOf(report, 'mated');
  const unmated = samplesOf(report, 'unmated');
  if (mated.length > 0 && unmated.length > 0) {
    const unmatedTop = largestGroup(unmated, 'match', groupsOfStep(report, 'match'));
    sentences.push(
      `An unmated booking's match costs ${ms(groupCpuMs(unmated, 'match', 'total').mean)} ms of CPU ` +
        `(${mean(unmated.map((s) => s.candidatesVerified)).toFixed(0)} candidates verified, ${unmatedTop.name} ${pct(unmatedTop.share)}) ` +
        `against ${ms(groupCpuMs(mated, 'match', 'total').mean)} ms for a mated one ` +
        `(${mean(mated.map((s) => s.candidatesVerified)).toFixed(0)} verified).`,
    );
  }
  const decideTop = largestGroup(all, 'decide', groupsOfStep(report, 'decide'));
  const cpuShare = (step: Step) =>
    mean(all.map((s) => s[step].cpuMicros / 1000)) / mean(all.map((s) => s[step].wallMs));
  sentences.push(
    `In decide, ${decideTop.name} is the largest part (${pct(decideTop.share)}). The handlers were on CPU for ` +
      `${pct(cpuShare('match'))} (match) and ${pct(cpuShare('decide'))} (decide) of their wall time.`,
  );
  return sentences;
}

function stepTable(report: HandlerCpuReport): string[] {
  const rows: string[][] = [];
  for (const step of STEPS) {
    for (const group of BOOKING_GROUPS) {
      const samples = samplesOf(report, group);
      const cpu = groupCpuMs(samples, step, 'total');
      const wall = summarise(samples.map((s) => s[step].wallMs));
      rows.push([
        `${step}, ${group}`,
        String(samples.length),
        ms(cpu.mean),
        ms(cpu.p50),
        ms(cpu.p95),
        ms(wall.mean),
        ms(wall.p50),
        ms(wall.p95),
        pct(cpu.mean / wall.mean),
      ]);
    }
  }
  return table(
    ['step, bookings', 'n', 'CPU mean', 'CPU p50', 'CPU p95', 'wall mean', 'wall p50', 'wall p95', 'CPU / wall'],
    rows,
  );
}

function phaseTable(report: HandlerCpuReport, step: Step): string[] {
  const groups = samplesByGroup(report);
  const allTotal = groupCpuMs(report.samples, step, 'total').mean;
  const row = (label: string, group: PhaseGroup | 'total') => [
    label,
    ...BOOKING_GROUPS.flatMap((g) => {
      const s = groupCpuMs(groups[g], step, group);
      return [ms(s.mean), ms(s.p50), ms(s.p95)];
    }),
    pct(groupCpuMs(report.samples, step, group).mean / allTotal),
  ];
  return table(
    ['phase', ...BOOKING_GROUPS.flatMap((g) => [`${g} mean`, `${g} p50`, `${g} p95`]), 'share (all)'],
    [...groupsOfStep(report, step).map((group) => row(PHASE_GROUP_LABELS[group], group)), row('**total**', 'total')],
  );
}

function samplesByGroup(report: HandlerCpuReport): Record<BookingGroup, BookingSample[]> {
  return { mated: samplesOf(report, 'mated'), unmated: samplesOf(report, 'unmated'), all: report.samples };
}

function ioTable(report: HandlerCpuReport): string[] {
  const rows: string[][] = [];
  const n = report.samples.length;
  for (const step of STEPS) {
    const phases = [...new Set(report.samples.flatMap((s) => Object.keys(s[step].phases)))]
      .filter((phase) => phaseGroupOf(phase) === 'io')
      .sort();
    for (const phase of phases) {
      const totals = report.samples.map((s) => s[step].phases[phase]);
      const sum = (pick: (t: PhaseTotal) => number) => totals.reduce((acc, t) => acc + (t ? pick(t) : 0), 0) / n;
      rows.push([
        step,
        `\`${phase}\``,
        IO_LABELS[phase] ?? 'other SDK call',
        (sum((t) => t.entries) || 0).toFixed(2),
        ms(sum((t) => t.cpuMicros) / 1000),
        ms(sum((t) => t.wallMs)),
      ]);
    }
  }
  return table(['step', 'phase', 'what', 'calls per booking', 'CPU ms', 'wall ms'], rows, 3);
}

/** The Markdown section: what was run, the findings, the tables and how the phases are attributed. */
export function handlerCpuMarkdown(report: HandlerCpuReport): string {
  const { options, machine } = report;
  const mated = samplesOf(report, 'mated');
  const unmated = samplesOf(report, 'unmated');
  const outcomes = ['match', 'inconclusive', 'no-match']
    .map((o) => `${report.samples.filter((s) => s.outcome === o).length} ${o}`)
    .join(', ');
  const verified = (samples: BookingSample[]) =>
    samples.length === 0 ? '-' : mean(samples.map((s) => s.candidatesVerified)).toFixed(0);
  const lines = [
    '## Handler CPU per booking (match and decide, in-process, warm)',
    '',
    `The real match and decide handlers (middy, Powertools, SDK calls to DynamoDB Local and fauxqs), called in this ` +
      `process with an SQS event of one record, one booking at a time, after ${options.warmup} warm-up bookings. ` +
      `Gallery: ${report.gallery.identities.toLocaleString('en-US')} identities (seed ${options.seed}); ` +
      `${report.samples.length} bookings (seed ${options.seed + 1}, ${(report.matedShare * 100).toFixed(1)}% mated as in the demo): ` +
      `${mated.length} mated, ${unmated.length} unmated; search outcomes ${outcomes}; candidates verified per booking: ` +
      `mated ${verified(mated)}, unmated ${verified(unmated)}. CPU is \`process.cpuUsage()\` (user + system) in ms per booking; ` +
      `wall is \`performance.now()\`. ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ` +
      `${machine.loadBefore.map((v) => v.toFixed(2)).join(' ')} before, ${machine.loadAfter.map((v) => v.toFixed(2)).join(' ')} after; ` +
      `took ${report.seconds.toFixed(0)} s.`,
    '',
    handlerCpuFindings(report).join(' '),
    '',
    '### CPU and wall time per booking, by step (ms)',
    '',
    ...stepTable(report),
    '',
    ...STEPS.flatMap((step) => [`### ${step}: CPU per booking, by phase (ms)`, '', ...phaseTable(report, step), '']),
    '### I/O by call site (ms per booking, all bookings)',
    '',
    ...ioTable(report),
    '',
    'How it is measured:',
    '',
    '- Phases are timed by `bench/common/phase-timer.ts`, from outside the handlers: the benchmark builds them over ' +
      'ports wrapped in I/O phases (the gallery reader, the decisions queue, the records table, the audit trail, the ' +
      'record event) and with a step timer for the search, its verification rounds and the decision. Other ' +
      'SDK calls are timed per operation by a middleware the benchmark adds to the clients (`io.<service>.<operation>`); ' +
      "in match these are Powertools idempotency's calls to its table. Each phase's figure excludes the phases inside " +
      "it, so search is the search less its reads and comparisons; overhead is the handler's total less every phase.",
    '- A phase that awaits is charged the CPU the process spends until its promise settles (the SDK serialising, ' +
      'signing and parsing). That is right because Node runs JavaScript on one thread and the benchmark runs one booking at a time ' +
      `with nothing else: no pollers, and fauxqs ${
        options.sqsEmulator === 'in-process'
          ? 'in this process (so its CPU serving the SQS calls is counted as I/O here)'
          : 'in a child process (its CPU is not counted)'
      }; DynamoDB Local is a Java process of its own.`,
    "- `process.cpuUsage()` counts every thread of the process: the garbage collector's and the compiler's work is " +
      'charged to whichever phase is active when it runs, not to the phase that caused it. Percentiles are nearest-rank ' +
      "per phase, so a step's p95 is not the sum of its phases' p95.",
    `- The handlers logged at ${report.powertools.logLevel} with Powertools metrics ${report.powertools.metrics ? 'on' : 'off'} ` +
      '(the stack: INFO, a line or two per booking, and metrics on). Locally the ' +
      'audit entry and the record event go to stand-in queues; in AWS they go to CloudWatch Logs and EventBridge.',
  ];
  return `${lines.join('\n')}\n`;
}
