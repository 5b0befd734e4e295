/**
 * One Lambda execution environment: a worker thread that loads one function's handler module once
 * (the init phase) and then runs one invocation at a time, with its own module state, its own
 * environment variables (the Worker's `env`), a heap limit of its memory size and a context with
 * its own name. The main thread's pool (environment-pool.ts) starts, reuses and stops it.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from '#local/lambda-context';
import type { EnvironmentChannel, EnvironmentInit, EnvironmentSetup, FromEnvironment, ToEnvironment } from './protocol';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const init = workerData as EnvironmentInit;
if (!parentPort) throw new Error('environment-worker runs as a worker thread');
const port = parentPort;
const send = (message: FromEnvironment) => port.postMessage(message);

const listeners = new Map<string, (data: unknown) => unknown>();
const requests = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextRequest = 0;

function open(channel: string): EnvironmentChannel {
  return {
    functionName: init.functionName,
    request: (data) =>
      new Promise((resolve, reject) => {
        const id = nextRequest++;
        requests.set(id, { resolve, reject });
        send({ type: 'request', id, channel, data });
      }),
    post: (data) => send({ type: 'post', channel, data }),
    onMessage: (listener) => listeners.set(channel, listener),
  };
}

const errorFields = (error: unknown) => ({
  name: error instanceof Error ? error.name : 'Error',
  message: error instanceof Error ? error.message : String(error),
});

let handler: Handler | undefined;

/**
 * Linux schedules threads, not processes: /proc/thread-self names this thread's id, whose nice
 * value can be set alone. Elsewhere the environment keeps the process's priority.
 */
function lowerPriority(nice: number): void {
  if (nice === 0 || process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // No /proc, or not allowed: run at the process's priority.
  }
}

port.on('message', (message: ToEnvironment) => {
  if (message.type === 'reply') {
    const request = requests.get(message.id);
    requests.delete(message.id);
    if (message.error === undefined) request?.resolve(message.result);
    else request?.reject(new Error(message.error));
    return;
  }
  if (message.type === 'channel') {
    void (async () => {
      try {
        const listener = listeners.get(message.channel);
        send({ type: 'channel-reply', id: message.id, result: await listener?.(message.data) });
      } catch (error) {
        send({ type: 'channel-reply', id: message.id, error: errorFields(error).message });
      }
    })();
    return;
  }
  const started = performance.now();
  void (async () => {
    try {
      if (!handler) throw new Error('The environment is not initialized');
      const result = await handler(message.event, lambdaContext(init.functionName, init.timeoutSeconds, init.memoryMb));
      send({ type: 'result', id: message.id, result, durationMs: performance.now() - started });
    } catch (error) {
      send({ type: 'error', id: message.id, ...errorFields(error), durationMs: performance.now() - started });
    }
  })();
});

try {
  lowerPriority(init.nice);
  for (const url of init.setupUrls) {
    const setup = (await import(url)) as { setupEnvironment?: EnvironmentSetup };
    await setup.setupEnvironment?.(open);
  }
  const loaded = (await import(init.handlerUrl)) as { handler?: Handler };
  if (typeof loaded.handler !== 'function') throw new Error(`${init.handlerUrl} exports no handler function`);
  handler = loaded.handler;
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'init-error', ...errorFields(error) });
}
