/**
 * The benchmark's call counter where the handlers' clients are: inside each execution environment
 * (a worker thread, local/environments/). A setup module (`setupEnvironment`, run before the handler
 * module is loaded) makes a CallCounter there and puts it on every DynamoDB and SQS client the
 * handler builds; the main thread turns counting on and off and collects the counts over a channel.
 * The pollers' client stays on the main thread with a counter of its own; `environmentCounts` sums
 * them all.
 */
import { threadId } from 'node:worker_threads';
import { onClientCreated } from '#runtime/clients';
import { ENV } from '#runtime/environment-variables';
import type { ChannelHandler, EnvironmentPool } from '#local/environments/environment-pool';
import type { EnvironmentSetup } from '#local/environments/protocol';
import { addCounts, CallCounter, type CallCounts } from './cost-counter';

/** The channel between the counters in the environments and the benchmark on the main thread. */
export const COUNTER_CHANNEL = 'bench-call-counter';

/** The module's file URL, for `startLocalPipeline({ environmentSetup: { urls } })`. */
export const COUNTER_SETUP_URL = import.meta.url;

/** Environment -> main thread: the counting state now (asked once, on setup). */
type CounterRequest = { op: 'state' };
/** Main thread -> every environment. */
export type CounterMessage = { op: 'enable'; enabled: boolean } | { op: 'snapshot' };
/** An environment's answer to a snapshot: its thread (the key its counts are kept under) and its counts. */
export interface EnvironmentCounts {
  threadId: number;
  counts: CallCounts;
}

/**
 * Inside an execution environment: one counter, on every DynamoDB and SQS client built from now on
 * (the handler module is loaded after this runs, so that is all of the handler's). Calls to the
 * stand-in queues of this environment (its own SC_LOCAL_EVENTS_QUEUE_URL and SC_LOCAL_AUDIT_QUEUE_URL,
 * set only where the stack binds the bus or the log group to the function) count as EventBridge
 * and CloudWatch Logs, as on the main thread before.
 */
export const setupEnvironment: EnvironmentSetup = async (open) => {
  const channel = open(COUNTER_CHANNEL);
  const counter = new CallCounter({
    eventsQueueUrl: process.env[ENV.localEventsQueueUrl] ?? '',
    auditQueueUrl: process.env[ENV.localAuditQueueUrl] ?? '',
  });
  counter.enabled = (await channel.request({ op: 'state' } satisfies CounterRequest)) === true;
  channel.onMessage((data) => {
    const message = data as CounterMessage;
    if (message.op === 'enable') {
      counter.enabled = message.enabled;
      return counter.enabled;
    }
    return { threadId, counts: counter.snapshot() } satisfies EnvironmentCounts;
  });
  onClientCreated((client, service) => {
    if (service === 'dynamodb' || service === 'sqs') counter.instrument(client, service);
  });
};

/**
 * On the main thread: the counts of every environment of the pipeline's functions plus the pollers'
 * counter. `channel` answers the environments' setup; `setEnabled` and `snapshot` broadcast to the
 * pools. Each environment's last snapshot is kept by thread, so an environment that ended (timed
 * out, crashed) still counts what it had reported, and a total never goes down between snapshots;
 * only what it did after its last snapshot is lost.
 */
export class EnvironmentCounters {
  private enabledNow = false;
  private readonly lastByThread = new Map<number, CallCounts>();
  private pools: EnvironmentPool[] = [];

  constructor(private readonly mainThread: CallCounter) {}

  /** The channel handler for `startLocalPipeline({ environmentSetup: { channels } })`. */
  readonly channel: ChannelHandler = (data) => {
    const request = data as CounterRequest;
    return request.op === 'state' ? this.enabledNow : undefined;
  };

  /** The pools to broadcast to (the pipeline's, once started). */
  attach(pools: EnvironmentPool[]): void {
    this.pools = pools;
  }

  get enabled(): boolean {
    return this.enabledNow;
  }

  /** Turns counting on or off here and in every live environment; new ones ask on setup. */
  async setEnabled(enabled: boolean): Promise<void> {
    this.enabledNow = enabled;
    this.mainThread.enabled = enabled;
    await Promise.all(this.pools.map((pool) => pool.broadcast(COUNTER_CHANNEL, { op: 'enable', enabled })));
  }

  /** Everything counted so far: every environment's (last) counts and the main thread's. */
  async snapshot(): Promise<CallCounts> {
    const answers = await Promise.all(
      this.pools.map((pool) => pool.broadcast(COUNTER_CHANNEL, { op: 'snapshot' } satisfies CounterMessage)),
    );
    for (const answer of answers.flat()) {
      const reported = answer as EnvironmentCounts | undefined;
      if (reported && typeof reported.threadId === 'number') this.lastByThread.set(reported.threadId, reported.counts);
    }
    let total = this.mainThread.snapshot();
    for (const counts of this.lastByThread.values()) total = addCounts(total, counts);
    return total;
  }
}
