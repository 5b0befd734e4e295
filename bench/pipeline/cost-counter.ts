/**
 * Counts the AWS calls the pipeline makes, the way AWS bills them, from an SDK middleware on the
 * clients: per service and operation, calls and attempts, DynamoDB capacity units as the service
 * reports them (ReturnConsumedCapacity set on every request that takes it), SQS requests in 64 KB
 * payload chunks, and the bytes that stand in for EventBridge events and audit-trail log events.
 *
 * Locally there is no EventBridge bus and no audit log group: the handlers send those to two stand-in
 * queues (functions/adapters/event-publisher.ts, audit-trail.ts). Calls to them are counted
 * as what they replace (PutEvents entries, PutLogEvents events and bytes), not as SQS requests.
 */
import { middlewareStackOf, type SdkMiddleware } from '#local/sdk-middleware';

/** One service operation's counts. All fields add up across calls. */
export interface OperationCounts {
  /** SDK calls (a call retried by the SDK counts once). */
  calls: number;
  /** HTTP attempts, retries included (each attempt is a request AWS bills). */
  attempts: number;
  /** Calls that ended in an error (conditional-check failures included). */
  failed: number;
  /** Requests as billed: SQS, attempts x 64 KB chunks; EventBridge, events x 64 KB chunks; else attempts. */
  billed: number;
  /** Messages sent or received (SQS), entries (EventBridge), log events (Logs), items (DynamoDB batch). */
  items: number;
  /** Payload bytes: SQS message bodies and attributes, EventBridge entries, log events (+26 each). */
  bytes: number;
  /** DynamoDB capacity units the service reported, table and indexes. */
  readUnits: number;
  writeUnits: number;
  /** Of writeUnits, what global secondary indexes took. */
  indexWriteUnits: number;
  /** ReceiveMessage calls that returned no message. */
  emptyReceives: number;
}

/** Counts keyed `<service>.<operation>`; services: dynamodb, sqs (handlers), sqs-poller (event sources), eventbridge, logs. */
export type CallCounts = Record<string, OperationCounts>;

export function emptyOperationCounts(): OperationCounts {
  return {
    calls: 0,
    attempts: 0,
    failed: 0,
    billed: 0,
    items: 0,
    bytes: 0,
    readUnits: 0,
    writeUnits: 0,
    indexWriteUnits: 0,
    emptyReceives: 0,
  };
}

const FIELDS = Object.keys(emptyOperationCounts()) as Array<keyof OperationCounts>;

export function addCounts(a: CallCounts, b: CallCounts, sign = 1): CallCounts {
  const out: CallCounts = {};
  for (const [key, value] of Object.entries(a)) out[key] = { ...value };
  for (const [key, value] of Object.entries(b)) {
    const target = (out[key] ??= emptyOperationCounts());
    for (const field of FIELDS) target[field] += sign * value[field];
  }
  return out;
}

/** What happened between two snapshots. */
export function diffCounts(after: CallCounts, before: CallCounts): CallCounts {
  const out = addCounts(after, before, -1);
  for (const [key, value] of Object.entries(out)) if (FIELDS.every((field) => value[field] === 0)) delete out[key];
  return out;
}

/** Sums the fields of every operation of a service (`dynamodb`, `sqs`, ...), or of the keys a filter keeps. */
export function totalOf(counts: CallCounts, keep: (key: string) => boolean): OperationCounts {
  const total = emptyOperationCounts();
  for (const [key, value] of Object.entries(counts)) {
    if (!keep(key)) continue;
    for (const field of FIELDS) total[field] += value[field];
  }
  return total;
}

export const SQS_CHUNK_BYTES = 64 * 1024;

/** Requests SQS bills for one API call with this payload: each 64 KB chunk is a request, at least one. */
export function sqsBilledRequests(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / SQS_CHUNK_BYTES));
}

/** EventBridge meters a PutEvents entry in 64 KB chunks too. */
export function eventBridgeBilledEvents(entryBytes: number): number {
  return Math.max(1, Math.ceil(entryBytes / SQS_CHUNK_BYTES));
}

/** CloudWatch Logs counts each log event as its UTF-8 message plus 26 bytes. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

const utf8 = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

interface MessageAttributeLike {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** SQS's payload of a message: body plus message attributes (name, type and value). */
export function sqsMessageBytes(body: string | undefined, attributes?: Record<string, MessageAttributeLike>): number {
  let bytes = utf8(body);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    bytes += utf8(name) + utf8(value.DataType) + utf8(value.StringValue) + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

/** A PutEvents entry's size as EventBridge computes it: source, detail-type and detail, UTF-8. */
export function eventEntryBytes(source: string, detailType: string, detail: string): number {
  return utf8(source) + utf8(detailType) + utf8(detail);
}

/** DynamoDB operations that take ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);
const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

interface ConsumedCapacityLike {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** Read, write and index-write units of a response's ConsumedCapacity (an object or, for batches, a list). */
export function capacityOf(
  operation: string,
  consumed: ConsumedCapacityLike | ConsumedCapacityLike[] | undefined,
): { read: number; write: number; indexWrite: number } {
  const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  const isRead = READ_OPERATIONS.has(operation);
  let read = 0;
  let write = 0;
  let indexWrite = 0;
  for (const entry of list) {
    const total = entry.CapacityUnits ?? 0;
    if (isRead) read += entry.ReadCapacityUnits ?? total;
    else {
      write += entry.WriteCapacityUnits ?? total;
      for (const index of Object.values(entry.GlobalSecondaryIndexes ?? {})) indexWrite += index.CapacityUnits ?? 0;
    }
  }
  return { read, write, indexWrite };
}

interface SdkCall {
  input: Record<string, unknown>;
}
interface SdkOutput {
  output: Record<string, unknown>;
}
type Middleware = SdkMiddleware<SdkCall, SdkOutput>;

const MIDDLEWARE_NAME = 'benchCallCounter';

export type CountedService = 'dynamodb' | 'sqs' | 'sqs-poller';

export interface StandInQueues {
  /** The queue that stands in for the EventBridge bus. */
  eventsQueueUrl: string;
  /** The queue that stands in for the audit log group. */
  auditQueueUrl: string;
}

const attemptsOf = (value: unknown) =>
  Number((value as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1);

/**
 * The counter. `instrument` adds its middleware to a client (once); `enabled` turns counting on and
 * off (a gallery seeded through the handlers' client is not the pipeline's traffic).
 */
export class CallCounter {
  counts: CallCounts = {};
  enabled = false;

  constructor(private readonly standIns?: StandInQueues) {}

  snapshot(): CallCounts {
    return addCounts({}, this.counts);
  }

  /** Adds the counting middleware unless the client has it already; true if it was added. */
  instrument(client: object, service: CountedService): boolean {
    const stack = middlewareStackOf(client);
    if (stack.identify().some((name) => name.startsWith(MIDDLEWARE_NAME))) return false;
    // Initialize step, outside the retry middleware: one count per call, with the attempts it took.
    stack.add(this.middleware(service), { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME });
    return true;
  }

  private entry(key: string): OperationCounts {
    return (this.counts[key] ??= emptyOperationCounts());
  }

  private middleware(service: CountedService): Middleware {
    return (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (!this.enabled) return next(args);
      if (service === 'dynamodb' && CAPACITY_OPERATIONS.has(operation)) {
        // INDEXES: the total as TOTAL gives it, plus the share of each global secondary index.
        args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } };
      }
      try {
        const result = await next(args);
        this.record(service, operation, args.input, result.output, attemptsOf(result.output), false);
        return result;
      } catch (error) {
        this.record(service, operation, args.input, undefined, attemptsOf(error), true);
        throw error;
      }
    };
  }

  private record(
    service: CountedService,
    operation: string,
    input: Record<string, unknown>,
    output: Record<string, unknown> | undefined,
    attempts: number,
    failed: boolean,
  ): void {
    if (service === 'dynamodb') {
      const counts = this.entry(`dynamodb.${operation}`);
      this.base(counts, attempts, failed);
      counts.billed += attempts;
      const capacity = capacityOf(operation, output?.ConsumedCapacity as ConsumedCapacityLike | undefined);
      counts.readUnits += capacity.read;
      counts.writeUnits += capacity.write;
      counts.indexWriteUnits += capacity.indexWrite;
      return;
    }
    const queueUrl = input.QueueUrl as string | undefined;
    if (service === 'sqs' && queueUrl && this.standIns && queueUrl === this.standIns.eventsQueueUrl) {
      this.recordEvent(input, attempts, failed);
      return;
    }
    if (service === 'sqs' && queueUrl && this.standIns && queueUrl === this.standIns.auditQueueUrl) {
      this.recordAudit(input, attempts, failed);
      return;
    }
    const counts = this.entry(`${service}.${operation}`);
    this.base(counts, attempts, failed);
    const { messages, bytes } = sqsPayload(operation, input, output);
    counts.items += messages;
    counts.bytes += bytes;
    counts.billed += attempts * sqsBilledRequests(bytes);
    if (operation === 'ReceiveMessage' && !failed && messages === 0) counts.emptyReceives++;
  }

  private base(counts: OperationCounts, attempts: number, failed: boolean): void {
    counts.calls++;
    counts.attempts += attempts;
    if (failed) counts.failed++;
  }

  private recordEvent(input: Record<string, unknown>, attempts: number, failed: boolean): void {
    const counts = this.entry('eventbridge.PutEvents');
    this.base(counts, attempts, failed);
    const body = JSON.parse(String(input.MessageBody ?? '{}')) as Record<string, unknown>;
    const bytes = eventEntryBytes(
      String(body.source ?? ''),
      String(body['detail-type'] ?? ''),
      JSON.stringify(body.detail ?? {}),
    );
    counts.items++;
    counts.bytes += bytes;
    counts.billed += eventBridgeBilledEvents(bytes);
  }

  private recordAudit(input: Record<string, unknown>, attempts: number, failed: boolean): void {
    const counts = this.entry('logs.PutLogEvents');
    this.base(counts, attempts, failed);
    counts.billed += attempts;
    for (const entry of (input.Entries as Array<{ MessageBody?: string }> | undefined) ?? []) {
      counts.items++;
      counts.bytes += utf8(entry.MessageBody) + LOG_EVENT_OVERHEAD_BYTES;
    }
  }
}

interface SqsEntryLike {
  MessageBody?: string;
  Body?: string;
  MessageAttributes?: Record<string, MessageAttributeLike>;
}

/** Messages and payload bytes of an SQS call: what it sends, or for a receive, what came back. */
export function sqsPayload(
  operation: string,
  input: Record<string, unknown>,
  output: Record<string, unknown> | undefined,
): { messages: number; bytes: number } {
  const sum = (entries: SqsEntryLike[], body: (entry: SqsEntryLike) => string | undefined) => ({
    messages: entries.length,
    bytes: entries.reduce((total, entry) => total + sqsMessageBytes(body(entry), entry.MessageAttributes), 0),
  });
  switch (operation) {
    case 'SendMessage':
      return sum([input as SqsEntryLike], (entry) => entry.MessageBody);
    case 'SendMessageBatch':
      return sum((input.Entries as SqsEntryLike[] | undefined) ?? [], (entry) => entry.MessageBody);
    case 'ReceiveMessage':
      return sum((output?.Messages as SqsEntryLike[] | undefined) ?? [], (entry) => entry.Body);
    default:
      return { messages: 0, bytes: 0 };
  }
}
