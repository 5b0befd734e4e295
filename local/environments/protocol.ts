/**
 * The messages between the local runtime (main thread) and an execution environment (a worker
 * thread). Everything crosses by structured clone: events, results, errors as name and message.
 */

/** What an environment is started with (its workerData). */
export interface EnvironmentInit {
  functionName: string;
  /** File URL of the module whose `handler` export is invoked: a TypeScript source or a built bundle. */
  handlerUrl: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** File URLs of modules run before the handler module is loaded (local instruments). */
  setupUrls: string[];
  /** Scheduling priority (nice) of the environment's thread, where the OS allows one per thread. */
  nice: number;
}

export type ToEnvironment =
  | { type: 'invoke'; id: number; event: unknown }
  /** A message for the setup module listening on `channel`; its answer comes back as a reply. */
  | { type: 'channel'; id: number; channel: string; data: unknown }
  | { type: 'reply'; id: number; result?: unknown; error?: string };

export type FromEnvironment =
  | { type: 'ready' }
  | { type: 'init-error'; name: string; message: string }
  | { type: 'result'; id: number; result: unknown; durationMs: number }
  | { type: 'error'; id: number; name: string; message: string; durationMs: number }
  /** A request from a setup module to the handler of `channel` on the main thread. */
  | { type: 'request'; id: number; channel: string; data: unknown }
  /** A one-way message from a setup module. */
  | { type: 'post'; channel: string; data: unknown }
  | { type: 'channel-reply'; id: number; result?: unknown; error?: string };

/** What a setup module sees of its environment. */
export interface EnvironmentChannel {
  functionName: string;
  /** Asks the main thread's handler of this channel; resolves with its answer. */
  request(data: unknown): Promise<unknown>;
  /** Tells the main thread's handler of this channel, without waiting. */
  post(data: unknown): void;
  /** Answers messages the main thread broadcasts on this channel. */
  onMessage(listener: (data: unknown) => unknown): void;
}

/** A setup module's export: called once per environment, before the handler module is loaded. */
export type EnvironmentSetup = (open: (channel: string) => EnvironmentChannel) => void | Promise<void>;
