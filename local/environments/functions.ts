import { availableParallelism } from 'node:os';
import { ENV } from '#runtime/environment-variables';
import {
  API_FUNCTION_TIMEOUT_SECONDS,
  FUNCTION_MEMORY_MB,
  QUEUES,
  type ConsumerSettings,
} from '#functions/definitions';

/** The pipeline's four functions, by the name their folder under functions/ has. */
export type FunctionKey = 'ingest' | 'get-booking' | 'match' | 'decide';
export const FUNCTION_KEYS: readonly FunctionKey[] = ['ingest', 'get-booking', 'match', 'decide'];

/**
 * The environment variables the stack binds to each function (its `bind*` calls), besides the
 * Powertools settings every function gets. The local runtime gives each execution environment these
 * and no others, so a handler that reads a variable its function is not given fails here as it
 * would on AWS; a template test checks this list against the synthesized stack.
 */
export const FUNCTION_ENVIRONMENT: Readonly<Record<FunctionKey, readonly string[]>> = {
  ingest: [ENV.recordsTableName, ENV.bookingsQueueUrl],
  'get-booking': [ENV.recordsTableName, ENV.auditLogGroupName],
  match: [
    ENV.galleryTableName,
    ENV.idempotencyTableName,
    ENV.decisionsQueueUrl,
    ENV.bookingsDlqUrl,
    ENV.bookingsMaxReceiveCount,
  ],
  decide: [
    ENV.recordsTableName,
    ENV.eventBusName,
    ENV.auditLogGroupName,
    ENV.decisionsDlqUrl,
    ENV.decisionsMaxReceiveCount,
    ENV.policyId,
  ],
};

/**
 * Locally there is no event bus and no log group: a variable naming one is replaced by the one
 * naming its stand-in queue.
 */
export const LOCAL_STAND_INS: Readonly<Record<string, string>> = {
  [ENV.eventBusName]: ENV.localEventsQueueUrl,
  [ENV.auditLogGroupName]: ENV.localAuditQueueUrl,
};

/**
 * Concurrent executions of an API function locally. API Gateway invokes as many as requests arrive
 * (up to the stage throttle); an environment answers in a few milliseconds of I/O, so four serve
 * hundreds of requests a second on one machine.
 */
export const LOCAL_API_CONCURRENCY = 4;

export interface FunctionSpec {
  key: FunctionKey;
  memoryMb: number;
  timeoutSeconds: number;
  /** Its work is CPU (the search): its environments run at a lower scheduling priority. */
  cpuBound: boolean;
  /** Execution environments at most: concurrent invocations. */
  maxEnvironments: number;
  consumer?: ConsumerSettings;
}

/**
 * How many environments a consumer may run at once: the event-source mapping's maxConcurrency, and
 * for a CPU-bound function (the search) no more than the machine's cores, since each environment's
 * search keeps one core busy and more would only queue on the same cores.
 */
export function consumerEnvironments(
  consumer: ConsumerSettings,
  cpuBound: boolean,
  cores = availableParallelism(),
): number {
  return Math.max(1, cpuBound ? Math.min(consumer.maxConcurrency, cores) : consumer.maxConcurrency);
}

/** Every function as the stack defines it: memory, timeout and the concurrency the runtime allows it. */
export function functionSpecs(cores = availableParallelism()): Record<FunctionKey, FunctionSpec> {
  const api = (key: 'ingest' | 'get-booking'): FunctionSpec => ({
    key,
    memoryMb: FUNCTION_MEMORY_MB[key],
    timeoutSeconds: API_FUNCTION_TIMEOUT_SECONDS,
    cpuBound: false,
    maxEnvironments: LOCAL_API_CONCURRENCY,
  });
  const consumer = (key: 'match' | 'decide', settings: ConsumerSettings, cpuBound: boolean): FunctionSpec => ({
    key,
    memoryMb: FUNCTION_MEMORY_MB[key],
    timeoutSeconds: settings.functionTimeoutSeconds,
    cpuBound,
    maxEnvironments: consumerEnvironments(settings, cpuBound, cores),
    consumer: settings,
  });
  return {
    ingest: api('ingest'),
    'get-booking': api('get-booking'),
    match: consumer('match', QUEUES.bookings.consumer, true),
    decide: consumer('decide', QUEUES.decisions.consumer, false),
  };
}
