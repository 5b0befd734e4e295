/**
 * The load benchmark's results (load.ts runs it): their shape and the Markdown section. Pure: no I/O.
 */
import {
  costMarkdown,
  FUNCTION_MEMORY_MB,
  programVolumes,
  type CostModel,
  type RunCounts,
  type StoragePerBooking,
} from './cost';
import type { LoadOptions } from './load';
import {
  otherProcesses,
  type Bottleneck,
  type CpuUse,
  type Distribution,
  type LevelRates,
  type Saturation,
  type Verdict,
} from './load-stats';
import { AWS_LIMITS } from './scaling';

export interface LevelResult {
  phase: 'ramp' | 'level';
  offeredPerSecond: number;
  bookings: number;
  /** Answered 202. */
  accepted: number;
  /** Other answers by HTTP status (0: no answer). */
  rejected: Record<string, number>;
  records: number;
  /** Accepted bookings without a record when the level timed out. */
  missing: number;
  /** How late the open-loop schedule fired, ms (the generator's own thread). */
  schedulerLateMs: { p99: number; max: number };
  rates: LevelRates;
  /** POST sent to the record's event seen by the benchmark (adds the event publication and the drain's polling). */
  eventSeenLatencyMs: Distribution;
  /** POST sent to its 202, ms. */
  ingestAnswerMs: Distribution;
  verdict: Verdict;
  /** Over the whole level (first POST to the last queue emptied). */
  cpu: CpuUse;
  /** Over the samples with a backlog in a queue (the pipeline busy); null when there were none. */
  cpuLoaded: CpuUse | null;
  /** Share of the main thread's profile samples per category. */
  profile?: Record<string, number>;
  backlog: { maxBookings: number; maxDecisions: number; samples: Array<[number, number, number]> };
  counts: RunCounts;
  seconds: number;
}

export interface LoadReport {
  startedAt: string;
  options: Omit<LoadOptions, 'onProgress' | 'pipeline'> & { rampBookingsPerLevel: number; pollersPerQueue: number };
  machine: { cpuModel: string; cores: number; memoryGb: number; node: string };
  gallery: { identities: number; seedSeconds: number };
  levels: LevelResult[];
  saturation: Saturation & { bottleneck: Bottleneck; bottleneckLevel: number | null };
  /** The cost model from the sustained levels (least contention), or every level if none was sustained. */
  cost: CostModel;
  costBasis: string;
  /** $ per million bookings of each level, to show how contention moves the Lambda line. */
  costByLevel: Array<{
    offeredPerSecond: number;
    phase: string;
    records: number;
    usdPerMillion: number;
    lambdaGbSecondsPerBooking: number;
  }>;
  storage?: StoragePerBooking;
  wallSeconds: number;
}

const ONE_VCPU_MB = AWS_LIMITS.mbPerVcpu;

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const seconds = (ms: number) => fixed(ms / 1000, 2);
const pct = (value: number | null) =>
  value === null || !Number.isFinite(value) ? '-' : `${(100 * value).toFixed(0)}%`;

/** The report as Markdown: the levels, the saturation point and its bottleneck, the program comparison, the cost. */
export function loadMarkdown(report: LoadReport): string {
  const out: string[] = [];
  const o = report.options;
  out.push('## Load, end to end on the local runtime');
  out.push('');
  out.push(
    `${report.startedAt.slice(0, 16).replace('T', ' ')} UTC; ${report.machine.cores} cores (${report.machine.cpuModel}), ` +
      `${report.machine.memoryGb.toFixed(0)} GB, Node ${report.machine.node}. Gallery ${report.gallery.identities} identities ` +
      `(seeded in ${report.gallery.seedSeconds.toFixed(1)} s); ${o.pollersPerQueue} pollers per queue; ` +
      `${o.warmupBookings} warm-up bookings; open loop from a worker thread (at most ` +
      `${Math.max(0, ...report.levels.map((l) => l.schedulerLateMs.max)).toFixed(0)} ms behind schedule); ` +
      `wall time ${(report.wallSeconds / 60).toFixed(1)} min.`,
  );
  out.push('');
  out.push(
    "Latency: POST sent -> the record's `decidedAt`. Throughput: records / (last record - first POST). " +
      'Completion rate: (records - 1) / (last record - first record), the rate records came at with the drain tail left out; ' +
      `a level is sustained when it is >= 95% of the offered rate and latency grows by <= 0.05 s per second of the run. ` +
      'CPU: share of one core used while a queue had a backlog (Node main thread: share of time busy, which counts time waiting for a core; ' +
      'fauxqs runs inside the Node process; other processes: the machine is shared).',
  );
  out.push('');
  out.push(
    '| phase | offered /s | bookings | accepted | records | submit /s | throughput /s | completion /s | p50 s | p95 s | p99 s | max s | latency slope | Node main thread | Node process | DynamoDB Local | other processes | machine | max backlog (bookings / decisions) | sustained |',
  );
  out.push(
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const l of report.levels) {
    const cpu = l.cpuLoaded ?? l.cpu;
    out.push(
      `| ${l.phase} | ${l.offeredPerSecond} | ${l.bookings} | ${l.accepted} | ${l.records} | ${fixed(l.rates.submitPerSecond)} | ` +
        `${fixed(l.rates.throughputPerSecond)} | ${fixed(l.rates.completionPerSecond)} | ${seconds(l.rates.latencyMs.p50)} | ` +
        `${seconds(l.rates.latencyMs.p95)} | ${seconds(l.rates.latencyMs.p99)} | ${seconds(l.rates.latencyMs.max)} | ` +
        `${fixed(l.rates.latencySlope, 3)} | ${pct(cpu.nodeMainThread)} | ${pct(cpu.nodeProcess)} | ${pct(cpu.dynamodbLocal)} | ${pct(otherProcesses(cpu))} | ` +
        `${cpu.machine === null ? '-' : `${pct(cpu.machine / cpu.cores)} of ${cpu.cores}`} | ${l.backlog.maxBookings} / ${l.backlog.maxDecisions} | ` +
        `${l.verdict.sustained ? 'yes' : `no: ${l.verdict.reason}`} |`,
    );
  }
  const problems = report.levels.filter((l) => l.missing > 0 || Object.keys(l.rejected).length > 0);
  for (const l of problems) {
    out.push('');
    out.push(
      `At ${l.offeredPerSecond}/s: ${l.missing} accepted bookings without a record in time` +
        (Object.keys(l.rejected).length > 0
          ? `; answers other than 202: ${Object.entries(l.rejected)
              .map(([status, n]) => `${n} x ${status === '0' ? 'no answer' : status}`)
              .join(', ')}`
          : '') +
        '.',
    );
  }
  out.push('');
  const s = report.saturation;
  out.push('### Saturation');
  out.push('');
  out.push(
    `- Sustained up to **${s.sustainedPerSecond === null ? 'none of the rates measured' : `${s.sustainedPerSecond} bookings/s`}** offered` +
      (s.firstUnsustainedPerSecond === null
        ? ' (every rate measured was sustained).'
        : `; not at ${s.firstUnsustainedPerSecond}/s.`) +
      ` The highest completion rate any level reached, the pipeline's capacity on this machine: **${fixed(s.peakCompletionPerSecond)} bookings/s**.`,
  );
  out.push(
    `- Saturating component${s.bottleneckLevel === null ? '' : ` (measured at ${s.bottleneckLevel}/s offered)`}: **${s.bottleneck.component}**. ${s.bottleneck.evidence}.`,
  );
  const probe = report.levels.find((l) => l.offeredPerSecond === s.bottleneckLevel && l.profile);
  if (probe?.profile) {
    out.push('');
    out.push(
      `Node main thread at ${probe.offeredPerSecond}/s, share of profile samples (${o.profileIntervalMicros / 1000} ms sampling):`,
    );
    out.push('');
    out.push('| where | share |');
    out.push('| --- | ---: |');
    for (const [category, share] of Object.entries(probe.profile)) out.push(`| ${category} | ${pct(share)} |`);
  }
  out.push('');
  out.push("At the real program's rates (averaged over the day):");
  out.push('');
  for (const volume of programVolumes()) {
    const perSecond = volume.bookingsPerDay / 86_400;
    out.push(
      `- ${volume.label}: ${perSecond.toFixed(2)} bookings/s, ` +
        `${Number.isFinite(s.peakCompletionPerSecond) ? `${fixed((100 * perSecond) / s.peakCompletionPerSecond, 0)}% of this machine's capacity` : ''}.`,
    );
  }
  out.push('');
  out.push('### Cost per booking, counted from the run');
  out.push('');
  out.push(
    `Counts from ${report.costBasis}. Lambda durations are wall time on this machine's CPU, not on Lambda's arm64 ` +
      `(match at ${FUNCTION_MEMORY_MB.match} MB gets about ${(FUNCTION_MEMORY_MB.match / ONE_VCPU_MB).toFixed(2)} of a vCPU, ` +
      `so its CPU-bound part would take, and bill, about ${(ONE_VCPU_MB / FUNCTION_MEMORY_MB.match).toFixed(1)}x the GB-s counted here ` +
      `if a Graviton core and this machine's core are alike).`,
  );
  out.push('');
  out.push(costMarkdown(report.cost));
  out.push('');
  out.push(
    'By level ($ per million bookings, counted lines; Lambda GB-s grow when handlers queue on the shared event loop):',
  );
  out.push('');
  out.push('| phase | offered /s | records | Lambda GB-s per booking | $ per million bookings |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  for (const c of report.costByLevel) {
    out.push(
      `| ${c.phase} | ${c.offeredPerSecond} | ${c.records} | ${c.lambdaGbSecondsPerBooking.toFixed(3)} | $${c.usdPerMillion.toFixed(0)} |`,
    );
  }
  return out.join('\n');
}
