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
  /** POST sent to its final answer (the jails' client's retries included), ms. */
  ingestAnswerMs: Distribution;
  /**
   * Transient failures the jails' client retried (local/harness/api-client.ts): connection errors (reset,
   * refused: no HTTP answer), answers 5xx or 429, submissions with any retry, and each cause's count
   * (error code or `HTTP n`). Absent in reports from before the execution environments.
   */
  connectionErrors?: number;
  retriedAnswers?: number;
  retriedSubmissions?: number;
  retriedCauses?: Record<string, number>;
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

/** One function's execution environments over the run (warm-up included). */
export interface EnvironmentResult {
  function: string;
  /** Environments it may run at once. */
  maxEnvironments?: number;
  /** New environments: each an init, as Lambda's Init Duration. */
  coldStarts: number;
  initP50Ms: number;
  initMaxMs: number;
  /** Environments that ended before the pipeline stopped: timed out, crashed or out of memory. */
  ended: number;
  invocations: number;
  /** Event-loop active time of all its environments, s. */
  busySeconds?: number;
}

export interface LoadReport {
  startedAt: string;
  options: Omit<LoadOptions, 'onProgress' | 'pipeline'> & {
    rampBookingsPerLevel: number;
    /**
     * Pollers of each queue, one per execution environment its consumer may run (the runtime's
     * sizing, or --pollers). A number in reports from before the execution environments.
     */
    pollersPerQueue: { match: number; decide: number } | number;
  };
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
  /** Each function's execution environments: cold starts and init durations (absent in older reports). */
  environments?: EnvironmentResult[];
  storage?: StoragePerBooking;
  wallSeconds: number;
}

const ONE_VCPU_MB = AWS_LIMITS.mbPerVcpu;

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const seconds = (ms: number) => fixed(ms / 1000, 2);
const pct = (value: number | null) =>
  value === null || !Number.isFinite(value) ? '-' : `${(100 * value).toFixed(0)}%`;
const ms = (value: number) => fixed(value, 0);

/** The functions in the order the level table lists their environments' busy cores. */
const FUNCTIONS = ['ingest', 'get-booking', 'match', 'decide'];

function consumers(pollers: LoadReport['options']['pollersPerQueue']): string {
  return typeof pollers === 'number'
    ? `${pollers} pollers per queue`
    : `execution environments per consumer: match ${pollers.match}, decide ${pollers.decide} (one poller each)`;
}

/** What the jails' client retried at a level, for the problems paragraph; empty when nothing was. */
function retriedText(l: LevelResult): string {
  const connection = l.connectionErrors ?? 0;
  const answers = l.retriedAnswers ?? 0;
  if (connection + answers === 0) return '';
  const causes = Object.entries(l.retriedCauses ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${n} x ${cause}`)
    .join(', ');
  return (
    `retried by the jails' client: ${connection} connection error(s) and ${answers} answer(s) 5xx/429` +
    `${l.retriedSubmissions === undefined ? '' : ` over ${l.retriedSubmissions} submission(s)`}` +
    `${causes ? ` (${causes})` : ''}`
  );
}

/** The report as Markdown: the levels, the saturation point and its bottleneck, the program comparison, the cost. */
export function loadMarkdown(report: LoadReport): string {
  const out: string[] = [];
  const o = report.options;
  out.push('## Load, end to end on the local runtime');
  out.push('');
  out.push(
    `${report.startedAt.slice(0, 16).replace('T', ' ')} UTC; ${report.machine.cores} cores (${report.machine.cpuModel}), ` +
      `${report.machine.memoryGb.toFixed(0)} GB, Node ${report.machine.node}. Gallery ${report.gallery.identities} identities ` +
      `(seeded in ${report.gallery.seedSeconds.toFixed(1)} s); ${consumers(o.pollersPerQueue)}; ` +
      `${o.warmupBookings} warm-up bookings; open loop from a worker thread (at most ` +
      `${Math.max(0, ...report.levels.map((l) => l.schedulerLateMs.max)).toFixed(0)} ms behind schedule); ` +
      `wall time ${(report.wallSeconds / 60).toFixed(1)} min.`,
  );
  out.push('');
  out.push(
    "Latency: POST sent -> the record's `decidedAt`. Throughput: records / (last record - first POST). " +
      'Completion rate: (records - 1) / (last record - first record), the rate records came at with the drain tail left out; ' +
      `a level is sustained when it is >= 95% of the offered rate and latency grows by <= 0.05 s per second of the run. ` +
      "POST answer: POST sent -> its final answer, retries included; retried: transient failures the jails' client retried " +
      '(connection errors: no HTTP answer, such as ECONNRESET; answers 503, 5xx or 429). ' +
      'CPU: share of one core used while a queue had a backlog. Each function runs in execution environments of its own ' +
      "(worker threads of the Node process); Node's main thread runs the API server (which forwards requests to the " +
      'ingest and get-booking environments), the pollers and fauxqs (Node main thread: share of time busy, which counts time ' +
      "waiting for a core; environments: each function's event-loop active time in cores, which counts it too; " +
      'Node process: all its threads; other processes: the machine is shared).',
  );
  out.push('');
  out.push(
    '| phase | offered /s | bookings | accepted | records | submit /s | throughput /s | completion /s | p50 s | p95 s | p99 s | max s | latency slope | POST answer p50 ms | POST answer p99 ms | retried: connection errors | retried: 5xx/429 | Node main thread | environments, cores (ingest / get-booking / match / decide) | Node process | DynamoDB Local | other processes | machine | max backlog (bookings / decisions) | sustained |',
  );
  out.push(
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const l of report.levels) {
    const cpu = l.cpuLoaded ?? l.cpu;
    out.push(
      `| ${l.phase} | ${l.offeredPerSecond} | ${l.bookings} | ${l.accepted} | ${l.records} | ${fixed(l.rates.submitPerSecond)} | ` +
        `${fixed(l.rates.throughputPerSecond)} | ${fixed(l.rates.completionPerSecond)} | ${seconds(l.rates.latencyMs.p50)} | ` +
        `${seconds(l.rates.latencyMs.p95)} | ${seconds(l.rates.latencyMs.p99)} | ${seconds(l.rates.latencyMs.max)} | ` +
        `${fixed(l.rates.latencySlope, 3)} | ${ms(l.ingestAnswerMs.p50)} | ${ms(l.ingestAnswerMs.p99)} | ` +
        `${l.connectionErrors ?? '-'} | ${l.retriedAnswers ?? '-'} | ${pct(cpu.nodeMainThread)} | ` +
        `${cpu.functions ? FUNCTIONS.map((name) => fixed(cpu.functions?.[name] ?? Number.NaN)).join(' / ') : '-'} | ` +
        `${pct(cpu.nodeProcess)} | ${pct(cpu.dynamodbLocal)} | ${pct(otherProcesses(cpu))} | ` +
        `${cpu.machine === null ? '-' : `${pct(cpu.machine / cpu.cores)} of ${cpu.cores}`} | ${l.backlog.maxBookings} / ${l.backlog.maxDecisions} | ` +
        `${l.verdict.sustained ? 'yes' : `no: ${l.verdict.reason}`} |`,
    );
  }
  for (const l of report.levels) {
    const parts: string[] = [];
    if (l.missing > 0) parts.push(`${l.missing} accepted bookings without a record in time`);
    if (Object.keys(l.rejected).length > 0) {
      parts.push(
        `answers other than 202: ${Object.entries(l.rejected)
          .map(([status, n]) => `${n} x ${status === '0' ? 'no answer' : status}`)
          .join(', ')}`,
      );
    }
    const retried = retriedText(l);
    if (retried) parts.push(retried);
    if (parts.length === 0) continue;
    out.push('');
    out.push(`At ${l.offeredPerSecond}/s (${l.phase}): ${parts.join('; ')}.`);
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
      `Node main thread at ${probe.offeredPerSecond}/s (the API server, the pollers and fauxqs; the handlers run in ` +
        `the environments' threads, not profiled), share of profile samples (${o.profileIntervalMicros / 1000} ms sampling):`,
    );
    out.push('');
    out.push('| where | share |');
    out.push('| --- | ---: |');
    for (const [category, share] of Object.entries(probe.profile)) out.push(`| ${category} | ${pct(share)} |`);
  }
  if (report.environments && report.environments.length > 0) {
    out.push('');
    out.push('### Execution environments');
    out.push('');
    out.push(
      'Each function runs in execution environments of its own: worker threads of the Node process, one per concurrent ' +
        "invocation up to the function's maximum, reused while warm, as Lambda runs them. A cold start is one new " +
        "environment: the thread started, tsx's loader registered in it, the local instruments set up (fault injection, " +
        "the audit stand-in, this benchmark's call counter) and the handler module loaded; its init duration is what " +
        'Lambda reports as Init Duration. Over the whole run, warm-up included; ended: environments stopped before the ' +
        'pipeline (timed out, crashed or out of memory), each replaced by a cold start; busy: event-loop active time ' +
        'of all its environments.',
    );
    out.push('');
    out.push(
      '| function | environments at most | cold starts | init p50 ms | init max ms | ended | invocations | busy s |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const e of report.environments) {
      out.push(
        `| ${e.function} | ${e.maxEnvironments ?? '-'} | ${e.coldStarts} | ${ms(e.initP50Ms)} | ${ms(e.initMaxMs)} | ` +
          `${e.ended} | ${e.invocations} | ${e.busySeconds === undefined ? '-' : fixed(e.busySeconds, 1)} |`,
      );
    }
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
    "By level ($ per million bookings, counted lines; Lambda GB-s grow when the environments' threads wait for the machine's cores or for the emulators):",
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

/**
 * The local runtime before execution environments (every handler and the API on one Node thread),
 * measured by this benchmark on 2026-11-24 on the same machine, gallery and levels: the baseline of
 * the load targets.
 */
export const ONE_THREAD_BASELINE = {
  capacityPerSecond: 3.39,
  /** The highest offered rate it sustained, and the worst latency p99 of its sustained levels. */
  sustainedPerSecond: 3,
  sustainedLatencyP99Seconds: 0.63,
} as const;

/** The load part's targets as rows of the report's target table: target, result, met. */
export function loadTargets(report: LoadReport): Array<[string, string, boolean]> {
  const level = (rate: number) => report.levels.find((l) => l.phase === 'level' && l.offeredPerSecond === rate);
  const capacity = report.saturation.peakCompletionPerSecond;
  const rows: Array<[string, string, boolean]> = [
    [
      `local capacity ≥ 2x the one-thread runtime's ${ONE_THREAD_BASELINE.capacityPerSecond} bookings/s`,
      `${capacity.toFixed(2)} bookings/s (${(capacity / ONE_THREAD_BASELINE.capacityPerSecond).toFixed(2)}x)`,
      capacity >= 2 * ONE_THREAD_BASELINE.capacityPerSecond,
    ],
  ];
  const ten = level(10);
  if (ten) {
    rows.push([
      'POST answer p99 at 10 bookings/s offered, pipeline saturated: < 250 ms',
      `${ten.ingestAnswerMs.p99.toFixed(0)} ms`,
      ten.ingestAnswerMs.p99 < 250,
    ]);
  }
  const top = level(200);
  if (top) {
    const errors = top.connectionErrors ?? 0;
    rows.push([
      'connection errors at 200 bookings/s offered: 0',
      `${errors} (${top.accepted} of ${top.bookings} accepted)`,
      errors === 0 && top.accepted === top.bookings,
    ]);
  }
  // The levels both runtimes sustained: the same offered rates, compared like for like.
  const sustained = report.levels.filter(
    (l) => l.verdict.sustained && l.offeredPerSecond <= ONE_THREAD_BASELINE.sustainedPerSecond,
  );
  if (sustained.length > 0) {
    const worst = Math.max(...sustained.map((l) => l.rates.latencyMs.p99)) / 1000;
    rows.push([
      `latency p99 at the levels the one-thread runtime sustained (≤ ${ONE_THREAD_BASELINE.sustainedPerSecond}/s): no worse than its ${ONE_THREAD_BASELINE.sustainedLatencyP99Seconds} s`,
      `${worst.toFixed(2)} s`,
      worst <= ONE_THREAD_BASELINE.sustainedLatencyP99Seconds,
    ]);
  }
  return rows;
}
