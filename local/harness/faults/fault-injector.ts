import type { ServiceName } from '#runtime/clients';
import { createRng, type Rng } from '#simulation/random';
import { middlewareStackOf, type SdkMiddleware } from '#local/sdk-middleware';

/**
 * Fault injection for the local runtime: failures of the handlers' AWS calls (an SDK middleware on
 * the clients the handlers build) and of their invocations (in the local event source). Off until a
 * plan is set; never part of a deployed bundle (the local runtime registers it through
 * `onClientCreated`).
 */

/** How an injected call fails, as the real services and network fail. */
export type CallFaultKind =
  /** Rejected before it runs: ThrottlingException / ProvisionedThroughputExceededException (HTTP 400). */
  | 'throttle'
  /** Rejected before it runs: InternalServerError (HTTP 500). */
  | 'server-error'
  /** Runs, but the answer is lost: a TimeoutError after the request was sent (the ambiguous case). */
  | 'timeout';

export const CALL_FAULT_KINDS: readonly CallFaultKind[] = ['throttle', 'server-error', 'timeout'];

export interface CallFaults {
  /** Fraction of calls that fail, 0 to 1. */
  rate: number;
  /** @default every kind, equally often */
  kinds?: readonly CallFaultKind[];
  /** Only calls of these operations, e.g. `TransactWriteItems`, `SendMessage`. @default all */
  operations?: readonly string[];
}

export interface SlowCalls {
  service: ServiceName;
  operation: string;
  delayMs: number;
  /** How many calls are slowed, then no more. */
  times: number;
}

export interface InvocationFaults {
  /**
   * The next `times` invocations handle their first `afterRecords` records, then crash before they
   * answer: nothing is acknowledged, so the whole batch comes back, records written included.
   */
  crash?: { afterRecords: number; times: number };
  /** Fraction of batches delivered twice at once (SQS's at-least-once delivery). */
  duplicateRate?: number;
}

export type FunctionKey = 'match' | 'decide';

export interface FaultPlan {
  dynamodb?: CallFaults;
  sqs?: CallFaults;
  slowCalls?: SlowCalls[];
  functions?: Partial<Record<FunctionKey, InvocationFaults>>;
}

export interface FaultCounts {
  /** Calls the handlers made, per service. */
  calls: Record<ServiceName, number>;
  /** Calls failed on purpose, per service and kind. */
  injected: Record<ServiceName, Record<CallFaultKind, number>>;
  /** Attempts the SDK retried (all causes, injected or not). */
  sdkRetries: number;
  /** Calls that failed after all the SDK's attempts. */
  callsFailed: number;
  slowedCalls: number;
  crashes: number;
  duplicateDeliveries: number;
}

function emptyCounts(): FaultCounts {
  const perKind = () => ({ throttle: 0, 'server-error': 0, timeout: 0 });
  return {
    calls: { dynamodb: 0, sqs: 0, eventbridge: 0, logs: 0 },
    injected: { dynamodb: perKind(), sqs: perKind(), eventbridge: perKind(), logs: perKind() },
    sdkRetries: 0,
    callsFailed: 0,
    slowedCalls: 0,
    crashes: 0,
    duplicateDeliveries: 0,
  };
}

const THROTTLE_ERROR: Record<ServiceName, string> = {
  dynamodb: 'ProvisionedThroughputExceededException',
  sqs: 'ThrottlingException',
  eventbridge: 'ThrottlingException',
  logs: 'ThrottlingException',
};

/** An error shaped as the SDK shapes a service's: the retry strategy classifies it by name and status. */
function injectedError(service: ServiceName, kind: CallFaultKind, operation: string): Error {
  if (kind === 'timeout') {
    // What the Node HTTP handler throws when a socket times out; the SDK retries it as transient.
    return Object.assign(new Error(`Injected fault: ${operation} timed out after the request was sent`), {
      name: 'TimeoutError',
    });
  }
  const throttle = kind === 'throttle';
  return Object.assign(new Error(`Injected fault: ${operation} ${throttle ? 'throttled' : 'failed (500)'}`), {
    name: throttle ? THROTTLE_ERROR[service] : 'InternalServerError',
    $fault: throttle ? 'client' : 'server',
    $metadata: { httpStatusCode: throttle ? 400 : 500 },
  });
}

/** What to do to one call: delay it, then fail it (or not). */
export interface CallDraw {
  delayMs: number;
  fault?: CallFaultKind;
}

/**
 * Where the middleware on a handler's client asks what to do to each call and reports how it went.
 * The fault injector is one; inside an execution environment (a worker thread) it is a stand-in that
 * asks the injector on the main thread, so one plan, one random sequence and one set of counts
 * serve every environment.
 */
export interface CallFaultSource {
  drawCall(service: ServiceName, operation: string): CallDraw | Promise<CallDraw>;
  countCall(service: ServiceName, outcome: { retries: number; failed: boolean }): void;
}

/** Any SDK client: only its middleware stack is used. */
type AnyClient = object;
type Middleware = SdkMiddleware;

/** Adds the injecting and counting middleware to a client a handler builds. */
export function instrumentWithFaults(client: AnyClient, service: ServiceName, source: CallFaultSource): void {
  // Inside the retry middleware (finalizeRequest step), so the SDK's retry strategy sees each fault.
  const stack = middlewareStackOf(client);
  stack.add(callFault(service, source), { step: 'deserialize', priority: 'low', name: 'localFaultInjection' });
  // Outside it (initialize step): one count per call, with the attempts the SDK made.
  stack.add(callCounter(service, source), { step: 'initialize', priority: 'high', name: 'localCallCounter' });
}

function callFault(service: ServiceName, source: CallFaultSource): Middleware {
  return (next, context) => async (args) => {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    const draw = await source.drawCall(service, operation);
    if (draw.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, draw.delayMs));
    if (!draw.fault) return next(args);
    if (draw.fault === 'timeout') {
      // The request reaches the service; its answer is dropped. Its body is a stream this
      // middleware sits under: destroy it, or the socket never returns to the client's pool.
      const result = (await next(args)) as { response?: { body?: { destroy?: () => void } } };
      result.response?.body?.destroy?.();
    }
    throw injectedError(service, draw.fault, operation);
  };
}

function callCounter(service: ServiceName, source: CallFaultSource): Middleware {
  const attemptsOf = (value: unknown) =>
    Number((value as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1);
  return (next) => async (args) => {
    try {
      const result = await next(args);
      // A middleware's `next` answers { output, response }; the retry middleware counts on the output.
      source.countCall(service, {
        retries: Math.max(0, attemptsOf((result as { output?: unknown }).output) - 1),
        failed: false,
      });
      return result;
    } catch (error) {
      source.countCall(service, { retries: Math.max(0, attemptsOf(error) - 1), failed: true });
      throw error;
    }
  };
}

export class FaultInjector implements CallFaultSource {
  private plan: FaultPlan = {};
  private rng: Rng;
  counts: FaultCounts = emptyCounts();

  constructor(seed = 1) {
    this.rng = createRng(seed);
  }

  /** Replaces the plan (and keeps the counts). */
  set(plan: FaultPlan): void {
    this.plan = structuredClone(plan);
    this.onChange?.(this.active);
  }

  clear(): void {
    this.plan = {};
    this.onChange?.(false);
  }

  /** Told when a plan is set or cleared (the runtime tells the execution environments). */
  onChange: ((active: boolean) => void) | undefined;

  resetCounts(): void {
    this.counts = emptyCounts();
  }

  /** Whether a plan is set: without one, environments need not ask what to do to each call. */
  get active(): boolean {
    return Object.keys(this.plan).length > 0;
  }

  /** What happens to a call under the plan. */
  drawCall(service: ServiceName, operation: string): CallDraw {
    let delayMs = 0;
    const slow = this.plan.slowCalls?.find((s) => s.service === service && s.operation === operation && s.times > 0);
    if (slow) {
      slow.times--;
      this.counts.slowedCalls++;
      delayMs = slow.delayMs;
    }
    const fault = this.drawCallFault(service, operation);
    if (fault) this.counts.injected[service][fault]++;
    return fault ? { delayMs, fault } : { delayMs };
  }

  countCall(service: ServiceName, outcome: { retries: number; failed: boolean }): void {
    this.counts.calls[service]++;
    this.counts.sdkRetries += outcome.retries;
    if (outcome.failed) this.counts.callsFailed++;
  }

  private drawCallFault(service: ServiceName, operation: string): CallFaultKind | undefined {
    const faults = service === 'dynamodb' ? this.plan.dynamodb : service === 'sqs' ? this.plan.sqs : undefined;
    if (!faults || faults.rate <= 0) return undefined;
    if (faults.operations && !faults.operations.includes(operation)) return undefined;
    if (this.rng.next() >= faults.rate) return undefined;
    return this.rng.pick(faults.kinds && faults.kinds.length > 0 ? faults.kinds : CALL_FAULT_KINDS);
  }

  /** The crash to inject into this invocation of the function, if one is planned (counted down). */
  takeCrash(fn: FunctionKey): { afterRecords: number } | undefined {
    const crash = this.plan.functions?.[fn]?.crash;
    if (!crash || crash.times <= 0) return undefined;
    crash.times--;
    this.counts.crashes++;
    return { afterRecords: crash.afterRecords };
  }

  /** Whether this batch of the function is delivered twice. */
  takeDuplicate(fn: FunctionKey): boolean {
    const rate = this.plan.functions?.[fn]?.duplicateRate ?? 0;
    if (rate <= 0 || this.rng.next() >= rate) return false;
    this.counts.duplicateDeliveries++;
    return true;
  }
}

/** The one injector of the local runtime: every execution environment's calls draw from it. */
export const faultInjector = new FaultInjector();
