/**
 * What the load benchmark watches while a level runs: CPU of the Node process (all threads, and its
 * main thread's busy share), how busy each function's execution environments (worker threads) were,
 * of the DynamoDB Local JVM (/proc/<pid>/stat) and of the machine (/proc/stat); the queues' backlog;
 * a sampling CPU profile of the main thread (the API server, the pollers and fauxqs: the handlers run
 * in the worker threads); the bytes of the handlers' log lines. fauxqs runs inside the Node process,
 * so its CPU is Node's: the profile says how much of the main thread's it was.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemSize } from '#adapters/item-size';
import type { TableDefinition } from '#functions/definitions';
import type { StoragePerBooking } from './cost';
import { profileShares, type ProfileNode } from './load-stats';

let clockTicks: number | undefined;

/** Clock ticks per second of /proc's CPU times. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds a process has used (user + system), or null when /proc cannot tell. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are fixed (utime, stime: 14th, 15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** The machine's busy and total CPU seconds (all cores), or null off Linux. */
export function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const ticks = values.slice(0, 8).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
  } catch {
    return null;
  }
}

export interface Sample {
  /** Seconds since the level started. */
  t: number;
  /** Cores used since the previous sample. */
  nodeProcess: number;
  nodeMainThread: number;
  /** Busy cores of each function's execution environments (event-loop active time / wall time). */
  functions?: Record<string, number>;
  dynamodbLocal: number | null;
  machine: number | null;
  /** Messages waiting or in flight. */
  bookingsBacklog: number;
  decisionsBacklog: number;
}

interface Reading {
  wall: number;
  cpu: NodeJS.CpuUsage;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  /** Cumulative event-loop active ms of each function's environments. */
  functions: Record<string, number> | undefined;
  jvm: number | null;
  machine: { busy: number; total: number } | null;
}

/** Reads each function's cumulative event-loop active ms (EnvironmentPool.busyMs), by function. */
export type FunctionsBusyReader = () => Record<string, number>;

function readNow(jvmPid: number | undefined, functionsBusyMs: FunctionsBusyReader | undefined): Reading {
  return {
    wall: performance.now(),
    cpu: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
    functions: functionsBusyMs?.(),
    jvm: jvmPid === undefined ? null : processCpuSeconds(jvmPid),
    machine: machineCpuSeconds(),
  };
}

/** Busy cores of each function between two readings: the change in active ms over the wall ms. */
function functionsBetween(a: Reading, b: Reading): Record<string, number> | undefined {
  if (!a.functions || !b.functions) return undefined;
  const wallMs = Math.max(1e-6, b.wall - a.wall);
  return Object.fromEntries(
    Object.entries(b.functions).map(([name, busy]) => [name, Math.max(0, busy - (a.functions?.[name] ?? 0)) / wallMs]),
  );
}

/** Cores each component used between two readings. */
function between(a: Reading, b: Reading, cores: number) {
  const seconds = Math.max(1e-9, (b.wall - a.wall) / 1000);
  const cpu = (b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1e6;
  const machine =
    a.machine && b.machine && b.machine.total > a.machine.total
      ? ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * cores
      : null;
  return {
    seconds,
    nodeProcess: cpu / seconds,
    nodeMainThread: performance.eventLoopUtilization(b.elu, a.elu).utilization,
    functions: functionsBetween(a, b),
    dynamodbLocal: a.jvm !== null && b.jvm !== null ? (b.jvm - a.jvm) / seconds : null,
    machine,
  };
}

export async function queueBacklog(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const attributes = result.Attributes ?? {};
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) + Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

export interface Watch {
  stop(): Promise<{ samples: Sample[]; total: Omit<Sample, 't' | 'bookingsBacklog' | 'decisionsBacklog'> }>;
}

/**
 * Samples CPU and backlog every `intervalMs` until stopped, and with `functionsBusyMs` the busy cores
 * of each function's environments. Its own SQS client: not counted as pipeline traffic.
 */
export function watch(options: {
  sqs: SQSClient;
  queues: { bookings: string; decisions: string };
  jvmPid: number | undefined;
  cores: number;
  intervalMs?: number;
  functionsBusyMs?: FunctionsBusyReader;
}): Watch {
  const read = (jvmPid: number | undefined) => readNow(jvmPid, options.functionsBusyMs);
  const first = read(options.jvmPid);
  let previous = first;
  const samples: Sample[] = [];
  let busy = Promise.resolve();
  const tick = () => {
    // Rates are over the real time between readings: a late timer (busy main thread) does not skew them.
    busy = busy.then(async () => {
      const now = read(options.jvmPid);
      const use = between(previous, now, options.cores);
      previous = now;
      const [bookingsBacklog, decisionsBacklog] = await Promise.all([
        queueBacklog(options.sqs, options.queues.bookings).catch(() => Number.NaN),
        queueBacklog(options.sqs, options.queues.decisions).catch(() => Number.NaN),
      ]);
      samples.push({
        t: (now.wall - first.wall) / 1000,
        nodeProcess: use.nodeProcess,
        nodeMainThread: use.nodeMainThread,
        ...(use.functions ? { functions: use.functions } : {}),
        dynamodbLocal: use.dynamodbLocal,
        machine: use.machine,
        bookingsBacklog,
        decisionsBacklog,
      });
    });
  };
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await busy;
      const use = between(first, read(options.jvmPid), options.cores);
      return {
        samples,
        total: {
          nodeProcess: use.nodeProcess,
          nodeMainThread: use.nodeMainThread,
          ...(use.functions ? { functions: use.functions } : {}),
          dynamodbLocal: use.dynamodbLocal,
          machine: use.machine,
        },
      };
    },
  };
}

/** A sampling CPU profile of this thread (the V8 inspector), categorised by whose code ran. */
export async function startProfile(intervalMicros: number): Promise<{ stop(): Promise<Record<string, number>> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = (await session.post('Profiler.stop')) as unknown as {
        profile: { nodes: ProfileNode[]; samples?: number[] };
      };
      await session.post('Profiler.disable');
      session.disconnect();
      return profileShares(profile);
    },
  };
}

/**
 * Counts the handlers' log lines (JSON lines on stdout and stderr: Powertools Logger and EMF) and
 * keeps them off the terminal, except errors. Other output passes through.
 */
export class LogCounter {
  lines = 0;
  bytes = 0;
  private restore: Array<() => void> = [];

  start(): void {
    if (this.restore.length > 0) return;
    const count = (text: string) => {
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        this.lines++;
        this.bytes += Buffer.byteLength(line, 'utf8');
      }
    };
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        const text =
          typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
        if (text.startsWith('{')) {
          count(text);
          if (text.includes('"level":"ERROR"'))
            return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
          const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
          callback?.();
          return true;
        }
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
      this.restore.push(() => {
        stream.write = original;
      });
    }
  }

  stop(): void {
    for (const undo of this.restore) undo();
    this.restore = [];
  }
}

/**
 * The records table's size per booking, read back with a scan: each item's size (as DynamoDB bills
 * it) plus 100 bytes, and the same again for each global secondary index the item is in (every
 * index projects ALL). Its own client: not pipeline traffic.
 */
export async function measureStorage(
  dynamodb: DynamoDBClient,
  tableName: string,
  table: TableDefinition,
): Promise<StoragePerBooking> {
  const document = DynamoDBDocumentClient.from(dynamodb);
  const partitions = new Set<string>();
  let tableBytes = 0;
  let indexBytes = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await document.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const size = itemSize(item) + 100;
      tableBytes += size;
      partitions.add(String(item[table.partitionKey.name]));
      for (const index of table.globalSecondaryIndexes) {
        const inIndex =
          item[index.partitionKey.name] !== undefined && (!index.sortKey || item[index.sortKey.name] !== undefined);
        if (inIndex) indexBytes += size;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { bookings: partitions.size, tableBytes, indexBytes };
}
