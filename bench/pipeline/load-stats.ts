/**
 * The load benchmark's arithmetic, kept pure for the unit tests: percentiles, rates, whether a level
 * was sustained, the saturation point, where the Node process's CPU went and what saturated.
 */

/** Nearest-rank percentile (p in 0..100) of values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    mean: values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

/** Least-squares slope of y on x; 0 with fewer than two distinct x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxy += dx * ((ys[i] as number) - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** (n - 1) events over the time from the first to the last: the rate they came at. */
export function rateOf(times: readonly number[]): number {
  if (times.length < 2) return Number.NaN;
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  return span > 0 ? (times.length - 1) / span : Number.POSITIVE_INFINITY;
}

/** One booking of a level: when its POST was sent and when its record was decided (epoch ms). */
export interface Completion {
  sentAt: number;
  decidedAt: number;
}

export interface LevelRates {
  /** Submissions actually sent per second ((n-1) over first to last send). */
  submitPerSecond: number;
  /** Records over (last record - first submit): the throughput the load target names. */
  throughputPerSecond: number;
  /** (n-1) records over first to last record: the rate the pipeline finished them at, drain tail left out. */
  completionPerSecond: number;
  /** Ingest-to-record latency, ms (POST sent to the record's decidedAt). */
  latencyMs: Distribution;
  /** Growth of latency through the level: seconds of latency per second of submissions (0 if flat). */
  latencySlope: number;
}

export function levelRates(sentAt: readonly number[], completions: readonly Completion[]): LevelRates {
  const firstSent = Math.min(...sentAt);
  const lastDecided = Math.max(...completions.map((c) => c.decidedAt));
  const latencies = completions.map((c) => c.decidedAt - c.sentAt);
  return {
    submitPerSecond: rateOf(sentAt),
    throughputPerSecond: completions.length / Math.max(1e-9, (lastDecided - firstSent) / 1000),
    completionPerSecond: rateOf(completions.map((c) => c.decidedAt)),
    latencyMs: distribution(latencies),
    latencySlope: slope(
      completions.map((c) => (c.sentAt - firstSent) / 1000),
      latencies.map((l) => l / 1000),
    ),
  };
}

/** A level is sustained when records keep up with the offered rate and latency does not build up. */
export const SUSTAINED = {
  /** Completion rate at least this share of the offered rate. */
  minCompletionShare: 0.95,
  /**
   * Latency may grow by at most this many seconds per second of the run. An open loop offered λ
   * against a capacity μ < λ grows latency at λ/μ - 1 per second; 0.05 is μ = 95% of λ.
   */
  maxLatencySlope: 0.05,
} as const;

export interface Verdict {
  sustained: boolean;
  reason: string;
}

export function verdictOf(
  offeredPerSecond: number,
  rates: Pick<LevelRates, 'completionPerSecond' | 'latencySlope'>,
): Verdict {
  const share = rates.completionPerSecond / offeredPerSecond;
  const reasons: string[] = [];
  if (!(share >= SUSTAINED.minCompletionShare))
    reasons.push(`records at ${(100 * share).toFixed(0)}% of the offered rate`);
  if (!(rates.latencySlope <= SUSTAINED.maxLatencySlope))
    reasons.push(`latency growing ${rates.latencySlope.toFixed(2)} s/s`);
  return reasons.length === 0
    ? { sustained: true, reason: 'kept up, latency flat' }
    : { sustained: false, reason: reasons.join('; ') };
}

export interface Saturation {
  /** The highest offered rate sustained with every lower measured rate sustained too; null if none. */
  sustainedPerSecond: number | null;
  /** The lowest offered rate not sustained; null if every level was. */
  firstUnsustainedPerSecond: number | null;
  /** The highest completion rate any level reached: the pipeline's capacity on this machine. */
  peakCompletionPerSecond: number;
}

export function saturationOf(
  levels: ReadonlyArray<{ offeredPerSecond: number; completionPerSecond: number; sustained: boolean }>,
): Saturation {
  const sorted = [...levels].sort((a, b) => a.offeredPerSecond - b.offeredPerSecond);
  let sustainedPerSecond: number | null = null;
  let firstUnsustainedPerSecond: number | null = null;
  for (const level of sorted) {
    if (!level.sustained) {
      firstUnsustainedPerSecond = level.offeredPerSecond;
      break;
    }
    sustainedPerSecond = level.offeredPerSecond;
  }
  const completions = sorted.map((l) => l.completionPerSecond).filter((v) => Number.isFinite(v));
  return {
    sustainedPerSecond,
    firstUnsustainedPerSecond,
    peakCompletionPerSecond: completions.length > 0 ? Math.max(...completions) : Number.NaN,
  };
}

/** fauxqs and what it serves HTTP with (the local API uses node:http, not these). */
const SQS_EMULATOR_PACKAGES = new Set([
  'fauxqs',
  'fastify',
  'find-my-way',
  'light-my-request',
  'avvio',
  'toad-cache',
  'valibot',
  'fast-json-stringify',
  'secure-json-parse',
  '@fastify/error',
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  '@fastify/proxy-addr',
  'abstract-logging',
  'pino',
  'process-warning',
  'rfdc',
]);

/** Where a CPU profile sample of the Node process is charged: the first frame (leaf up) in a file we can name. */
export function profileCategory(url: string, functionName: string): string | undefined {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (unattributed)';
    return undefined;
  }
  if (url.startsWith('node:')) return undefined;
  const path = url.replace(/^file:\/\//, '');
  const nodeModule = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
  if (nodeModule) {
    if (SQS_EMULATOR_PACKAGES.has(nodeModule)) return 'SQS emulator (fauxqs and its HTTP server)';
    if (nodeModule === 'sqs-consumer') return 'event-source pollers (sqs-consumer)';
    if (nodeModule.startsWith('@aws-sdk/') || nodeModule.startsWith('@smithy/')) return 'AWS SDK';
    if (nodeModule.startsWith('@aws-lambda-powertools/') || nodeModule.startsWith('@middy/'))
      return 'Powertools, middy';
    if (nodeModule === 'zod') return 'zod (validation)';
    if (nodeModule === 'tsx' || nodeModule === 'esbuild') return 'tsx loader';
    return `other packages (${nodeModule})`;
  }
  if (path.includes('/functions/core/biometrics/')) return 'biometric search (functions/core/biometrics)';
  if (path.includes('/functions/')) return 'handlers (functions/, other)';
  if (path.includes('/local/')) return 'local runtime (local/)';
  if (path.includes('/bench/pipeline/')) return 'benchmark';
  return 'other';
}

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Share of samples per category; a sample goes to its nearest ancestor frame with a category. */
export function profileShares(profile: { nodes: ProfileNode[]; samples?: number[] }): Record<string, number> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const categoryOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const cached = categoryOf.get(id);
    if (cached) return cached;
    const path: number[] = [];
    let category: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const known = categoryOf.get(at);
      if (known) {
        category = known;
        break;
      }
      path.push(at);
      const node = byId.get(at);
      category = node ? profileCategory(node.callFrame.url, node.callFrame.functionName) : undefined;
      if (category) break;
    }
    const result = category ?? 'Node internals (I/O, timers)';
    for (const at of path) categoryOf.set(at, result);
    return result;
  };
  const counts = new Map<string, number>();
  const samples = profile.samples ?? [];
  for (const id of samples) {
    const category = resolve(id);
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return Object.fromEntries(
    [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / Math.max(1, samples.length)]),
  );
}

/** CPU of each component over a level, in cores (1 = one core fully busy). */
export interface CpuUse {
  /** Share of wall time the Node main thread was busy (event-loop utilisation), 0..1. */
  nodeMainThread: number;
  /** CPU of the whole Node process (all its threads: the main thread and the environments), cores. */
  nodeProcess: number;
  /**
   * Busy cores of each function's execution environments (worker threads): their event-loop active
   * time over wall time, summed over the function's environments (like the main thread's share, it
   * counts time a thread waited for a core). Absent when not measured.
   */
  functions?: Record<string, number>;
  /** CPU of the DynamoDB Local JVM, cores; null when not measured. */
  dynamodbLocal: number | null;
  /** CPU of the whole machine, cores; null when not measured. */
  machine: number | null;
  cores: number;
}

export interface Bottleneck {
  component: string;
  evidence: string;
}

/** Cores used by processes other than Node and the JVM (the machine is shared), or null. */
export function otherProcesses(cpu: CpuUse): number | null {
  if (cpu.machine === null) return null;
  return Math.max(0, cpu.machine - cpu.nodeProcess - (cpu.dynamodbLocal ?? 0));
}

/** Busy cores of the match environments past which, on full cores, the search is the limit: 3/4 of the cores. */
export const SEARCH_SATURATED_CORE_SHARE = 0.75;

/**
 * The component at its limit. Each function runs in execution environments of its own (worker
 * threads); Node's main thread runs the API server, the pollers and fauxqs.
 *
 * - The cores all taken and the match environments busy most of them: the biometric search is the
 *   limit, on this machine's cores (each environment searches on one core at a time).
 * - The main thread past 90% busy: it is the limit (the profile says whose code kept it busy:
 *   fauxqs, or the API server and the pollers). But a thread waiting for a core also counts as
 *   busy: when the cores are all taken and the main thread got well under a core (the Node
 *   process's CPU less its environments' busy cores), the limit is the shared CPU, not its code.
 * - The JVM, then the machine, limited by the cores. Below every limit, the pipeline was not
 *   saturated.
 *
 * `environments`: each function's execution environments at most (worker threads), for the text.
 */
export function bottleneckOf(
  cpu: CpuUse,
  shares: Record<string, number> | undefined,
  environments?: Record<string, number>,
): Bottleneck {
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  const busyShares = Object.entries(shares ?? {}).filter(([k]) => k !== 'idle');
  const busy = busyShares.reduce((a, [, v]) => a + v, 0);
  const top = busyShares
    .slice(0, 4)
    .map(([k, v]) => `${k} ${pct(busy > 0 ? v / busy : 0)}`)
    .join(', ');
  const others = otherProcesses(cpu);
  const jvm = cpu.dynamodbLocal === null ? 'not measured' : `${pct(cpu.dynamodbLocal)} of a core`;
  const machine =
    cpu.machine === null
      ? 'machine not measured'
      : `machine ${pct(cpu.machine / cpu.cores)} of ${cpu.cores} cores (other processes ${pct(others ?? 0)} of a core)`;
  const functions = Object.entries(cpu.functions ?? {});
  const environmentsBusy =
    functions.length === 0
      ? ''
      : `, execution environments busy (cores): ${functions.map(([name, cores]) => `${name} ${cores.toFixed(2)}`).join(', ')}`;
  const context =
    `Node main thread busy ${pct(cpu.nodeMainThread)} of the time, Node process ${pct(cpu.nodeProcess)} of a core${environmentsBusy}, ` +
    `DynamoDB Local ${jvm}, ${machine}`;
  const profile = `; of the main thread's busy time: ${top || 'no profile'}`;
  const machineFull = cpu.machine !== null && cpu.machine >= 0.9 * cpu.cores;
  const match = cpu.functions?.match;
  if (machineFull && match !== undefined && match >= SEARCH_SATURATED_CORE_SHARE * cpu.cores) {
    const threads = environments?.match;
    return {
      component:
        `the biometric search in the match environments` +
        `${threads === undefined ? '' : ` (${threads} worker thread${threads === 1 ? '' : 's'})`} on the machine's ${cpu.cores} cores`,
      evidence: context,
    };
  }
  if (cpu.nodeMainThread >= 0.9) {
    const environmentCores = functions.reduce((a, [, cores]) => a + cores, 0);
    const mainThreadCpu = Math.max(0, cpu.nodeProcess - environmentCores);
    if (machineFull && mainThreadCpu < 0.8 * cpu.nodeMainThread) {
      return {
        component: `the machine's ${cpu.cores} cores: Node's main thread had work all the time but got a core only part of it`,
        evidence: `${context}${profile}`,
      };
    }
    const [first] = busyShares;
    const emulator = first !== undefined && first[0].startsWith('SQS emulator');
    return {
      component: emulator
        ? 'SQS emulator (fauxqs, on the Node main thread)'
        : 'the Node main thread (API server, pollers, fauxqs)',
      evidence: `${context}${profile}`,
    };
  }
  if (cpu.dynamodbLocal !== null && cpu.dynamodbLocal >= 0.9 * cpu.cores) {
    return { component: 'DynamoDB Local (JVM)', evidence: context };
  }
  if (machineFull) {
    return {
      component: `the machine's ${cpu.cores} cores (Node's threads, the JVM and other processes)`,
      evidence: context,
    };
  }
  return { component: 'none at its limit', evidence: context };
}
