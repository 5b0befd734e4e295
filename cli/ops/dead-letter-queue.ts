import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DEAD_LETTER_ATTRIBUTE,
  SUBMISSION_ID_ATTRIBUTE,
  deadLetterInfoOf,
  type DeadLetterReason,
} from '#runtime/dead-letter';

/**
 * Reading and redriving the pipeline's dead-letter queues, for operators (`sc-pipeline dlq`). Every
 * function takes its SQS client, so the CLI and the tests bring their own (local or AWS).
 *
 * Nothing here returns a message body: a body is a booking (fingerprints, names) or a match result,
 * personal and biometric data. What is shown comes from the message attributes (`submissionId`,
 * `deadLetter`) and the system attributes; `inspectDeadLetter` adds the body's size and its
 * top-level field names, never a value.
 */

/** The reason shown for a message SQS moved by the source queue's redrive policy (no `deadLetter` attribute). */
export const REDRIVE_POLICY_REASON = "unknown (moved by the queue's redrive policy)";
/** The reason shown when a `deadLetter` attribute is there but is not a DeadLetterInfo. */
export const UNREADABLE_REASON = 'unknown (unreadable deadLetter attribute)';

export type ShownReason = DeadLetterReason | typeof REDRIVE_POLICY_REASON | typeof UNREADABLE_REASON;

/**
 * How long a peek hides the messages it received, while it walks the queue; they are made visible
 * again as soon as the walk ends (ChangeMessageVisibility to 0), or by themselves after this.
 */
export const PEEK_VISIBILITY_SECONDS = 30;
/** How long a redrive holds a message between receiving it and deleting it from the DLQ. */
export const REDRIVE_VISIBILITY_SECONDS = 60;

export interface DeadLetterSummary {
  messageId: string;
  /** From the `submissionId` message attribute; undefined if the sender did not set it. */
  submissionId: string | undefined;
  reason: ShownReason;
  /** The error's class, from the `deadLetter` attribute. */
  errorName: string | undefined;
  /** Paths of the wrong fields (poison messages), never their values. */
  fields: string[];
  /**
   * Receives on the source queue before it was dead-lettered (`deadLetter` attribute); for a message
   * SQS moved, its ApproximateReceiveCount, which also counts receives on the DLQ (peeks included).
   */
  receiveCount: number | undefined;
  /** The queue it came from: the `deadLetter` attribute, else SQS's DeadLetterQueueSourceArn. */
  sourceQueueArn: string | undefined;
  /**
   * SentTimestamp: the original send for a message SQS moved, the dead-lettering for one a handler
   * wrote (a handler sends a new message to the DLQ).
   */
  sentAt: string | undefined;
  /** When the handler gave up (`failedAt`); unknown for a message SQS moved. */
  deadLetteredAt: string | undefined;
}

export interface DeadLetterDetail extends DeadLetterSummary {
  /** Our own error text (ids only) or an AWS service error's, from the `deadLetter` attribute. */
  errorMessage: string | undefined;
  functionName: string | undefined;
  bodyBytes: number;
  /** `json-object` when the body parses as a JSON object (then bodyFields lists its keys). */
  bodyFormat: 'json-object' | 'json-other' | 'not-json';
  /** The body's top-level field names, sorted; names only, never values. */
  bodyFields: string[];
  /** Top-level keys left out of bodyFields because they do not look like field names. */
  otherBodyKeys: number;
}

/** Lists up to `max` dead letters of a queue without consuming them (see `peek`). */
export async function listDeadLetters(
  sqs: SQSClient,
  dlqUrl: string,
  options: { max: number },
): Promise<DeadLetterSummary[]> {
  const summaries: DeadLetterSummary[] = [];
  await peek(sqs, dlqUrl, options.max, (message) => {
    summaries.push(summaryOf(message));
    return true;
  });
  return summaries;
}

/** One dead letter by its SQS message id, without consuming it; undefined if it is not in the queue. */
export async function inspectDeadLetter(
  sqs: SQSClient,
  dlqUrl: string,
  messageId: string,
  options: { max?: number } = {},
): Promise<DeadLetterDetail | undefined> {
  let detail: DeadLetterDetail | undefined;
  await peek(sqs, dlqUrl, options.max ?? Number.POSITIVE_INFINITY, (message) => {
    if (message.MessageId !== messageId) return true;
    detail = detailOf(message);
    return false;
  });
  return detail;
}

export interface RedriveOptions {
  dlqUrl: string;
  dlqArn: string;
  /** The queue the dead letters go back to. */
  sourceUrl: string;
  sourceArn: string;
  /** Move at most this many (copy mode); undefined: all. */
  max?: number;
  /** On AWS: without `max`, let SQS move the messages (StartMessageMoveTask). Not on the emulator. */
  useMoveTask: boolean;
}

export interface MoveTask {
  taskHandle: string | undefined;
  status: string;
  moved: number | undefined;
  toMove: number | undefined;
  startedAt: string | undefined;
}

export type RedriveResult =
  /** Copied back by this process: `moved` are in the source queue and gone from the DLQ. */
  | {
      kind: 'copied';
      moved: number;
      /** Left in the DLQ: they came from another queue than the one redriven to. */
      skipped: number;
      /** Left in the DLQ (or, if only the delete failed, sent and still there): see `errors`. */
      failed: number;
      errors: string[];
    }
  | { kind: 'move-task-started'; taskHandle: string | undefined }
  /** A move task of this DLQ was already running: nothing new started. */
  | { kind: 'move-task-running'; task: MoveTask };

/**
 * Sends dead letters back to their source queue.
 *
 * On AWS without `max`, SQS's own message-move task does it (StartMessageMoveTask, DLQ to source);
 * SQS allows one active task per DLQ, so when one is already running this reports it instead of
 * failing. Otherwise (the emulator has no move tasks; a move task cannot stop after N) it copies:
 * receive from the DLQ, send the same body and attributes (less `deadLetter`) to the source queue,
 * then delete from the DLQ.
 *
 * Never loses a message: the copy is sent before the original is deleted. A crash (or a failed
 * delete) between the two leaves the message in both queues; a later redrive sends it again, and the
 * pipeline absorbs the duplicate (match is idempotent per submissionId, decide writes each record
 * with a conditional put). Running it twice is harmless: the second run finds the DLQ empty (or a
 * running task) and moves nothing.
 */
export async function redriveDeadLetters(sqs: SQSClient, options: RedriveOptions): Promise<RedriveResult> {
  if (options.useMoveTask && options.max === undefined) {
    return startMoveTask(sqs, options.dlqArn, options.sourceArn);
  }
  return copyBack(sqs, options);
}

/** A queue's ARN, for a move task and to check where a dead letter came from. */
export async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const arn = result.Attributes?.QueueArn;
  if (!arn) throw new Error(`No ARN for queue ${queueUrl}`);
  return arn;
}

/** Messages waiting in a queue (visible), as SQS approximates them. */
export async function approximateDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(result.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/**
 * Walks a queue without consuming it: receives (hiding each message for PEEK_VISIBILITY_SECONDS so
 * the next receive returns others), hands each message once to `visit` (de-duplicated by
 * MessageId), and stops at `max` messages, when `visit` returns false, when a receive finds nothing
 * (receives long-poll for 1 s, so SQS asks all its servers) or only messages already seen. Then
 * every message received is made visible again at once. No message is deleted.
 */
async function peek(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  visit: (message: Message) => boolean,
): Promise<void> {
  const held = new Map<string, string>();
  try {
    while (held.size < max) {
      const batch = await receive(sqs, queueUrl, max - held.size, PEEK_VISIBILITY_SECONDS);
      if (batch.length === 0) return;
      let fresh = 0;
      let stop = false;
      for (const message of batch) {
        if (!message.MessageId || !message.ReceiptHandle) continue;
        const seen = held.has(message.MessageId);
        held.set(message.MessageId, message.ReceiptHandle);
        if (seen || stop) continue;
        fresh++;
        if (!visit(message)) stop = true;
      }
      if (stop || fresh === 0) return;
    }
  } finally {
    await makeVisible(sqs, queueUrl, [...held.values()]);
  }
}

async function receive(sqs: SQSClient, queueUrl: string, count: number, visibilityTimeout: number): Promise<Message[]> {
  const result = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.max(1, Math.min(10, count)),
      VisibilityTimeout: visibilityTimeout,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return result.Messages ?? [];
}

/**
 * Best effort: a handle that expired belongs to a message already visible again, and if the call
 * is refused (no sqs:ChangeMessageVisibility) the messages come back after their timeout anyway.
 */
async function makeVisible(sqs: SQSClient, queueUrl: string, receiptHandles: string[]): Promise<void> {
  for (let start = 0; start < receiptHandles.length; start += 10) {
    const entries = receiptHandles
      .slice(start, start + 10)
      .map((ReceiptHandle, index) => ({ Id: `m${index}`, ReceiptHandle, VisibilityTimeout: 0 }));
    try {
      await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    } catch {
      // see above
    }
  }
}

function summaryOf(message: Message): DeadLetterSummary {
  const attributes = message.MessageAttributes ?? {};
  const raw = attributes[DEAD_LETTER_ATTRIBUTE]?.StringValue;
  const info = deadLetterInfoOf(raw);
  const system = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    submissionId: attributes[SUBMISSION_ID_ATTRIBUTE]?.StringValue,
    reason: info?.reason ?? (raw === undefined ? REDRIVE_POLICY_REASON : UNREADABLE_REASON),
    errorName: info?.errorName,
    fields: info?.fields ?? [],
    receiveCount: info?.receiveCount ?? numberOf(system.ApproximateReceiveCount),
    sourceQueueArn: info?.sourceQueueArn ?? system.DeadLetterQueueSourceArn,
    sentAt: isoOf(system.SentTimestamp),
    deadLetteredAt: info?.failedAt,
  };
}

/** A key that reads as a field name (letters, digits, `_`, `-`); any other key is only counted. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const MAX_BODY_FIELDS = 50;

function detailOf(message: Message): DeadLetterDetail {
  const info = deadLetterInfoOf(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTE]?.StringValue);
  const body = message.Body ?? '';
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(body);
  } catch {
    isJson = false;
  }
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const keys = isObject ? Object.keys(parsed as object) : [];
  const bodyFields = keys
    .filter((key) => FIELD_NAME.test(key))
    .sort()
    .slice(0, MAX_BODY_FIELDS);
  return {
    ...summaryOf(message),
    errorMessage: info?.errorMessage,
    functionName: info?.functionName,
    bodyBytes: Buffer.byteLength(body, 'utf8'),
    bodyFormat: isObject ? 'json-object' : isJson ? 'json-other' : 'not-json',
    bodyFields,
    otherBodyKeys: keys.length - bodyFields.length,
  };
}

async function startMoveTask(sqs: SQSClient, dlqArn: string, sourceArn: string): Promise<RedriveResult> {
  try {
    const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: sourceArn }));
    return { kind: 'move-task-started', taskHandle: started.TaskHandle };
  } catch (error) {
    // SQS answers InvalidParameterValue ("There is already a task running. Only one active task is
    // allowed for a source queue arn at a given time."), an error the SDK does not model; the same
    // code covers other mistakes, so the running task is looked up before the error is swallowed.
    if (!mayMeanTaskRunning(error)) throw error;
    const running = await activeMoveTask(sqs, dlqArn);
    if (!running) throw error;
    return { kind: 'move-task-running', task: running };
  }
}

const TASK_RUNNING_ERRORS = new Set(['InvalidParameterValue', 'UnsupportedOperation']);

function mayMeanTaskRunning(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return TASK_RUNNING_ERRORS.has(error.name) || /already a task running/i.test(error.message);
}

const FINISHED_TASK_STATUSES = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/** The DLQ's active message-move task (RUNNING or CANCELLING), if any. */
export async function activeMoveTask(sqs: SQSClient, dlqArn: string): Promise<MoveTask | undefined> {
  const result = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }));
  const task = (result.Results ?? []).find((entry) => entry.Status && !FINISHED_TASK_STATUSES.has(entry.Status));
  if (!task) return undefined;
  return {
    taskHandle: task.TaskHandle,
    status: task.Status ?? 'UNKNOWN',
    moved: task.ApproximateNumberOfMessagesMoved,
    toMove: task.ApproximateNumberOfMessagesToMove,
    startedAt: task.StartedTimestamp === undefined ? undefined : new Date(task.StartedTimestamp).toISOString(),
  };
}

async function copyBack(sqs: SQSClient, options: RedriveOptions): Promise<RedriveResult> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const result = { kind: 'copied' as const, moved: 0, skipped: 0, failed: 0, errors: [] as string[] };
  const seen = new Set<string>();
  // Messages not moved (another source, or a failed send) stay in the DLQ: shown again at the end.
  const leftHidden: string[] = [];
  try {
    while (result.moved < max) {
      const batch = await receive(sqs, options.dlqUrl, max - result.moved, REDRIVE_VISIBILITY_SECONDS);
      const fresh = batch.filter(
        (message) => message.MessageId && message.ReceiptHandle && !seen.has(message.MessageId),
      );
      if (fresh.length === 0) break;
      const outcomes = await Promise.all(
        fresh.map(async (message) => {
          seen.add(message.MessageId as string);
          const from = summaryOf(message).sourceQueueArn;
          if (from !== undefined && from !== options.sourceArn) {
            leftHidden.push(message.ReceiptHandle as string);
            return 'skipped' as const;
          }
          return moveOne(sqs, message, options, leftHidden);
        }),
      );
      for (const outcome of outcomes) {
        if (outcome === 'moved') result.moved++;
        else if (outcome === 'skipped') result.skipped++;
        else {
          result.failed++;
          if (!result.errors.includes(outcome.error)) result.errors.push(outcome.error);
        }
      }
      // A refused call (permissions, KMS) would fail for every message: stop at the first batch.
      if (result.failed > 0) break;
    }
  } finally {
    await makeVisible(sqs, options.dlqUrl, leftHidden);
  }
  return result;
}

async function moveOne(
  sqs: SQSClient,
  message: Message,
  options: RedriveOptions,
  leftHidden: string[],
): Promise<'moved' | { error: string }> {
  const receiptHandle = message.ReceiptHandle as string;
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: options.sourceUrl,
        MessageBody: message.Body ?? '',
        MessageAttributes: forwardedAttributes(message.MessageAttributes),
      }),
    );
  } catch (error) {
    leftHidden.push(receiptHandle);
    return { error: `send: ${errorNameOf(error)}` };
  }
  // Only after the copy is in the source queue. If this fails the message is in both queues, which
  // the pipeline's idempotency absorbs; it is never in neither.
  try {
    await sqs.send(new DeleteMessageCommand({ QueueUrl: options.dlqUrl, ReceiptHandle: receiptHandle }));
  } catch (error) {
    return { error: `delete after send (message in both queues): ${errorNameOf(error)}` };
  }
  return 'moved';
}

/** The message's attributes as SendMessage takes them, less the `deadLetter` reason of the last failure. */
function forwardedAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  const forwarded: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (name === DEAD_LETTER_ATTRIBUTE || !value.DataType) continue;
    forwarded[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
    };
  }
  return Object.keys(forwarded).length > 0 ? forwarded : undefined;
}

/** An error's class and message: SQS error texts name queues and parameters, never a message body. */
function errorNameOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isoOf(epochMillis: string | undefined): string | undefined {
  const millis = numberOf(epochMillis);
  return millis === undefined ? undefined : new Date(millis).toISOString();
}
