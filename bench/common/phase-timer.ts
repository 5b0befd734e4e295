/**
 * Where a handler's CPU goes, for the benchmark (bench/pipeline/handler-cpu.ts): named phases timed
 * only while a recording runs. The product knows nothing of it: the benchmark builds the handlers
 * with ports wrapped in phases and a step timer, and times other SDK calls with a client middleware.
 * Off, `timePhase` calls its function and returns its result untouched: no clock is read, no
 * promise is wrapped.
 *
 * Time is charged to the innermost phase active at each moment, so a phase's figure is its own time
 * without the phases inside it. A phase that awaits stays active until its promise settles: the CPU
 * the event loop spends meanwhile (e.g. the SDK parsing a response) is charged to it. That is right
 * only when nothing else runs in the process, which is why the benchmark runs one booking at a time.
 */

/** Phase names of the handlers' steps; `io.` phases are the handlers' calls to AWS, decoding included. */
export const PHASES = {
  /** The 1:N search apart from its reads and comparisons: index keys, vote, shortlist, ranking. */
  search: 'search',
  /** The matcher's comparisons of the shortlisted candidates. */
  verification: 'verification',
  /** The policy evaluation and the record it builds. */
  decision: 'decision',
  galleryRead: 'io.gallery',
  decisionsQueue: 'io.decisions-queue',
  /** The records table: the decision's transaction and the outbox marks. */
  records: 'io.records',
  audit: 'io.audit',
  events: 'io.events',
} as const;

export const IO_PHASE_PREFIX = 'io.';

export interface PhaseTotal {
  cpuMicros: number;
  wallMs: number;
  /** Times the phase was entered. */
  entries: number;
}

export interface PhaseClock {
  /** CPU time of the process, microseconds (user + system). */
  cpuMicros(): number;
  wallMs(): number;
}

const processClock: PhaseClock = {
  cpuMicros: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  wallMs: () => performance.now(),
};

export interface PhaseRecording {
  /** Ends the recording; the totals by phase name. Phases still active are charged up to now. */
  stop(): Map<string, PhaseTotal>;
}

interface Frame {
  name: string;
}

class Recording implements PhaseRecording {
  /** Active phases in the order they were entered; the last is charged. */
  private readonly active: Frame[] = [];
  private readonly totals = new Map<string, PhaseTotal>();
  private lastCpu: number;
  private lastWall: number;
  stopped = false;

  constructor(private readonly clock: PhaseClock) {
    this.lastCpu = clock.cpuMicros();
    this.lastWall = clock.wallMs();
  }

  private total(name: string): PhaseTotal {
    let total = this.totals.get(name);
    if (!total) {
      total = { cpuMicros: 0, wallMs: 0, entries: 0 };
      this.totals.set(name, total);
    }
    return total;
  }

  /** Charges the time since the last transition to the innermost active phase. */
  private charge(): void {
    const cpu = this.clock.cpuMicros();
    const wall = this.clock.wallMs();
    const current = this.active[this.active.length - 1];
    if (current) {
      const total = this.total(current.name);
      total.cpuMicros += cpu - this.lastCpu;
      total.wallMs += wall - this.lastWall;
    }
    this.lastCpu = cpu;
    this.lastWall = wall;
  }

  enter(name: string): Frame {
    this.charge();
    const frame = { name };
    this.active.push(frame);
    this.total(name).entries++;
    return frame;
  }

  exit(frame: Frame): void {
    if (this.stopped) return;
    this.charge();
    // Usually the last; phases run concurrently can end in any order.
    const at = this.active.lastIndexOf(frame);
    if (at >= 0) this.active.splice(at, 1);
  }

  current(): string | undefined {
    return this.active[this.active.length - 1]?.name;
  }

  stop(): Map<string, PhaseTotal> {
    if (!this.stopped) {
      this.charge();
      this.stopped = true;
      if (recording === this) recording = undefined;
    }
    return this.totals;
  }
}

let recording: Recording | undefined;

/** Starts recording phases (one recording at a time). */
export function startPhaseRecording(clock: PhaseClock = processClock): PhaseRecording {
  if (recording) throw new Error('A phase recording is already running');
  recording = new Recording(clock);
  return recording;
}

/** The innermost phase being timed, when a recording runs. */
export function activePhase(): string | undefined {
  return recording?.current();
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Runs `fn` as phase `name`; when nothing records, just runs it. Sync or async. */
export function timePhase<T>(name: string, fn: () => T): T {
  const r = recording;
  if (!r) return fn();
  const frame = r.enter(name);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    r.exit(frame);
    throw error;
  }
  if (!isPromiseLike(result)) {
    r.exit(frame);
    return result;
  }
  return result.then(
    (value) => {
      r.exit(frame);
      return value;
    },
    (error: unknown) => {
      r.exit(frame);
      throw error;
    },
  ) as unknown as T;
}
