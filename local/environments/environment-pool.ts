import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EnvironmentInit, FromEnvironment, ToEnvironment } from './protocol';

/** A main-thread handler of a setup module's channel: answers its requests and takes its posts. */
export type ChannelHandler = (data: unknown, functionName: string) => unknown;

export interface EnvironmentPoolOptions {
  functionName: string;
  handlerUrl: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Concurrent invocations at most: one environment each. */
  maxEnvironments: number;
  /**
   * Scheduling priority (nice, 0-19) of the environments' threads. On AWS each environment has a
   * CPU share of its own; here every thread shares the machine's cores, and a CPU-bound function
   * (the search) at the default priority would starve the API's functions and the emulators.
   * @default 0
   */
  nice?: number;
  /** The environment's variables, whole (nothing else of this process's is passed on). */
  env: Record<string, string>;
  setupUrls: string[];
  channels: Record<string, ChannelHandler>;
}

/**
 * The worker's first code: tsx's loader registered in the thread (Node 20 applies a parent's loader
 * hooks to no worker, and `--import` in a worker's execArgv is not honoured there), then the
 * environment's entry, which is TypeScript like the sources it loads.
 */
const TSX_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/package.json')
    .replace(/package\.json$/, 'dist/esm/api/index.mjs'),
).href;
const ENTRY = new URL('./environment-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(ENTRY)}); });`;

/** What runs a function's invocations: its execution environments, or code standing in for one. */
export interface Invoker {
  readonly functionName: string;
  invoke(event: unknown): Promise<InvocationResult>;
}

/** Cold starts as Lambda reports them: one init per new environment, with its duration. */
export interface EnvironmentStats {
  coldStarts: number;
  /** Each init's duration, ms: thread start, local instruments and loading the handler module. */
  initDurationsMs: number[];
  /** Environments that ended before the pool stopped: timed out, crashed or out of memory. */
  ended: number;
  invocations: number;
  /** Environments alive now, and of those, running an invocation. */
  live: number;
  busy: number;
}

/** What an invocation answered, with the handler's own duration inside its environment. */
export interface InvocationResult {
  result: unknown;
  durationMs: number;
}

/** Lambda's answer when a function outlives its timeout: the environment is stopped. */
export class FunctionTimeoutError extends Error {
  constructor(functionName: string, seconds: number) {
    super(`${functionName}: Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

/** An error the handler threw (or its environment died of), carried across the thread boundary. */
export class FunctionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One execution environment as the pool sees it. */
class Environment {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  invocation: (Pending & { timer: NodeJS.Timeout }) | undefined;
  private readonly channelReplies = new Map<number, Pending>();
  private nextId = 0;
  alive = true;
  /** Stopped at its timeout: never handed another invocation. */
  retired = false;

  constructor(
    private readonly options: EnvironmentPoolOptions,
    onEnd: (environment: Environment, error: Error) => void,
  ) {
    const init: EnvironmentInit = {
      functionName: options.functionName,
      handlerUrl: options.handlerUrl,
      memoryMb: options.memoryMb,
      timeoutSeconds: options.timeoutSeconds,
      setupUrls: options.setupUrls,
      nice: options.nice ?? 0,
    };
    this.worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: init,
      env: options.env,
      // The function's memory size as the heap limit, as Lambda stops a function past its memory.
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
      name: options.functionName,
    });
    let settleReady: Pending | undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      settleReady = { resolve: () => resolve(), reject };
    });
    const end = (error: Error) => {
      if (!this.alive) return;
      this.alive = false;
      settleReady?.reject(error);
      this.fail(error);
      onEnd(this, error);
    };
    this.worker.on('message', (message: FromEnvironment) => {
      switch (message.type) {
        case 'ready':
          settleReady?.resolve(undefined);
          return;
        case 'init-error':
          end(new FunctionError('Runtime.ImportModuleError', `${message.name}: ${message.message}`));
          void this.worker.terminate();
          return;
        case 'result':
          this.settle((pending) => pending.resolve({ result: message.result, durationMs: message.durationMs }));
          return;
        case 'error':
          this.settle((pending) => pending.reject(new FunctionError(message.name, message.message)));
          return;
        case 'request':
          void this.answer(message.id, message.channel, message.data);
          return;
        case 'post':
          options.channels[message.channel]?.(message.data, options.functionName);
          return;
        case 'channel-reply': {
          const reply = this.channelReplies.get(message.id);
          this.channelReplies.delete(message.id);
          if (message.error === undefined) reply?.resolve(message.result);
          else reply?.reject(new Error(message.error));
          return;
        }
      }
    });
    this.worker.on('error', (error) => end(new FunctionError('Runtime.ExitError', error.message)));
    this.worker.on('exit', (code) =>
      end(new FunctionError('Runtime.ExitError', `The environment exited (code ${code})`)),
    );
  }

  /** Event-loop active ms since the thread started, as last read (kept once the thread is gone). */
  private lastBusyMs = 0;

  /** The thread's cumulative event-loop active ms (Node >= 15): read while alive, the last reading after. */
  busyMs(): number {
    if (this.alive) {
      try {
        this.lastBusyMs = Math.max(this.lastBusyMs, this.worker.performance.eventLoopUtilization().active);
      } catch {
        // A thread that is exiting: its last reading stands.
      }
    }
    return this.lastBusyMs;
  }

  private async answer(id: number, channel: string, data: unknown): Promise<void> {
    const handler = this.options.channels[channel];
    try {
      const result = handler ? await handler(data, this.options.functionName) : undefined;
      this.post({ type: 'reply', id, result });
    } catch (error) {
      this.post({ type: 'reply', id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private post(message: ToEnvironment): void {
    if (this.alive) this.worker.postMessage(message);
  }

  invoke(event: unknown): Promise<InvocationResult> {
    return new Promise((resolve, reject) => {
      // The handler's own timer (middy) aborts first; this stops an environment that cannot, as
      // Lambda stops one at its timeout whatever it is doing. Once stopping, it is never handed
      // another invocation, though its thread may not have exited yet.
      const timer = setTimeout(
        () => {
          this.settle((pending) =>
            pending.reject(new FunctionTimeoutError(this.options.functionName, this.options.timeoutSeconds)),
          );
          this.retired = true;
          void this.worker.terminate();
        },
        this.options.timeoutSeconds * 1000 + 100,
      );
      this.invocation = { resolve: resolve as (value: unknown) => void, reject, timer };
      this.post({ type: 'invoke', id: this.nextId++, event });
    });
  }

  broadcast(channel: string, data: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.channelReplies.set(id, { resolve, reject });
      this.post({ type: 'channel', id, channel, data });
    });
  }

  private settle(settle: (pending: Pending) => void): void {
    const invocation = this.invocation;
    if (!invocation) return;
    this.invocation = undefined;
    clearTimeout(invocation.timer);
    this.busyMs();
    settle(invocation);
  }

  private fail(error: Error): void {
    this.settle((pending) => pending.reject(error));
    for (const reply of this.channelReplies.values()) reply.reject(error);
    this.channelReplies.clear();
  }
}

/**
 * The execution environments of one function: a new one (a cold start) when every live one is busy
 * and fewer than maxEnvironments run, an idle one reused otherwise, and an invocation waiting when
 * all are busy. An environment that times out, crashes or runs out of memory is stopped and
 * replaced on a later invocation, as Lambda replaces one.
 */
export class EnvironmentPool implements Invoker {
  private readonly counts: Omit<EnvironmentStats, 'live'> = {
    coldStarts: 0,
    initDurationsMs: [],
    ended: 0,
    invocations: 0,
    busy: 0,
  };
  private readonly environments = new Set<Environment>();
  private readonly idle: Environment[] = [];
  private readonly waiting: Array<(environment: Environment | Error) => void> = [];
  private stopped = false;
  /** Event-loop active ms of the environments that ended. */
  private endedBusyMs = 0;

  constructor(private readonly options: EnvironmentPoolOptions) {}

  get stats(): EnvironmentStats {
    return { ...this.counts, live: this.environments.size };
  }

  /** Concurrent invocations at most (one environment each): what a caller may usefully run at once. */
  get maxEnvironments(): number {
    return this.options.maxEnvironments;
  }

  get functionName(): string {
    return this.options.functionName;
  }

  /** The module the environments load the handler from: a source file or a bundle. */
  get handlerUrl(): string {
    return this.options.handlerUrl;
  }

  async invoke(event: unknown): Promise<InvocationResult> {
    const environment = await this.acquire();
    this.counts.invocations++;
    this.counts.busy++;
    try {
      return await environment.invoke(event);
    } finally {
      this.counts.busy--;
      this.release(environment);
    }
  }

  /**
   * Cumulative event-loop active ms of all this function's environments ever: the live ones read
   * now, plus the last reading of each that ended (for busy cores: its change over wall time).
   */
  busyMs(): number {
    let total = this.endedBusyMs;
    for (const environment of this.environments) total += environment.busyMs();
    return total;
  }

  /** Sends `data` to the setup modules listening on `channel` in every ready environment; their answers. */
  async broadcast(channel: string, data: unknown): Promise<unknown[]> {
    const ready = [...this.environments].filter((e) => e.alive);
    const answers = await Promise.allSettled(ready.map(async (e) => e.ready.then(() => e.broadcast(channel, data))));
    return answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiting.splice(0)) waiter(new Error(`${this.functionName} is stopping`));
    await Promise.all([...this.environments].map((e) => e.worker.terminate()));
    this.environments.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<Environment> {
    if (this.stopped) return Promise.reject(new Error(`${this.functionName} is stopped`));
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(idle);
    // Environments still starting are in the set already; one being stopped no longer counts.
    const usable = [...this.environments].filter((e) => !e.retired).length;
    if (usable < this.options.maxEnvironments) return this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push((environment) => (environment instanceof Error ? reject(environment) : resolve(environment)));
    });
  }

  private async start(): Promise<Environment> {
    const started = performance.now();
    const environment = new Environment(this.options, (ended) => this.ended(ended));
    this.environments.add(environment);
    await environment.ready;
    this.counts.coldStarts++;
    this.counts.initDurationsMs.push(performance.now() - started);
    return environment;
  }

  private release(environment: Environment): void {
    if (!environment.alive || environment.retired || this.stopped) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter(environment);
    else this.idle.push(environment);
  }

  private ended(environment: Environment): void {
    if (this.environments.has(environment)) this.endedBusyMs += environment.busyMs();
    this.environments.delete(environment);
    const index = this.idle.indexOf(environment);
    if (index >= 0) this.idle.splice(index, 1);
    if (this.stopped) return;
    this.counts.ended++;
    // A waiting invocation gets a new environment in the place of the one that ended.
    const waiter = this.waiting.shift();
    if (waiter) this.start().then(waiter, (error: Error) => waiter(error));
  }
}
