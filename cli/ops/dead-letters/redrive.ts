import {
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTE } from '#runtime/dead-letter';
import { sourceQueueArnOf } from './attributes';
import { makeVisible, receive } from './queue';

/**
 * Redriving the pipeline's dead letters back to their source queue, for operators (`sc-pipeline
 * dlq redrive`). Every function takes its SQS client, so the CLI and the tests bring their own
 * (local or AWS). Nothing here reads or returns a message body: it is forwarded as it is.
 */

/** How long a redrive holds a message between receiving it and deleting it from the DLQ. */
export const REDRIVE_VISIBILITY_SECONDS = 60;

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
          const from = sourceQueueArnOf(message);
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
