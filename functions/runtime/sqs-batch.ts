import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { logger, metrics } from './powertools';
import type { DeadLetterTarget } from './read-environment';
import { sqsClient } from './clients';
import {
  DEAD_LETTER_ATTRIBUTE,
  SUBMISSION_ID_ATTRIBUTE,
  type DeadLetterInfo,
  type DeadLetterReason,
} from './dead-letter';

/** A message that can never be processed, however often it is retried. */
export class PoisonMessageError extends Error {
  constructor(
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export interface SqsBatchOptions {
  /** Where failed messages go with their reason (read per invocation; the environment may change locally). */
  deadLetters: () => DeadLetterTarget;
  /**
   * Records of one booking (the `submissionId` message attribute) run one after another, so two
   * copies of a message in a batch never race; records of different bookings run in parallel.
   * @default false: every record in parallel
   */
  oneAtATimePerBooking?: boolean;
  /**
   * Errors that must not dead-letter a message even on its last receive, because another copy of it
   * is being processed right now (e.g. an idempotency lock held). The queue's redrive policy still
   * applies. @default none
   */
  keepOnLastReceive?: (error: unknown) => boolean;
}

/**
 * Runs a record handler over an SQS batch and reports each failed record back to the event source,
 * so one bad record never fails (and redelivers) the whole batch.
 *
 * A failed record leaves its queue for the dead-letter queue, with the reason attached
 * (`deadLetter` attribute), when it can never succeed (poison) or on its last allowed receive;
 * otherwise it is retried. The queue's own redrive policy stays as the backstop for a crash or
 * timeout on the last receive (those dead letters carry no reason). Failures are logged with ids,
 * the error's class and field paths only: never the message body.
 */
export function sqsBatchHandler(
  recordHandler: (record: SQSRecord, context: Context) => Promise<void>,
  options: SqsBatchOptions,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  return (event, context) => {
    const chains = new Map<string, Promise<void>>();
    const handle = (record: SQSRecord): Promise<void> => {
      const submissionId = record.messageAttributes?.[SUBMISSION_ID_ATTRIBUTE]?.stringValue;
      if (!options.oneAtATimePerBooking || !submissionId) return reportingHandler(record);
      const previous = chains.get(submissionId) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => reportingHandler(record));
      chains.set(submissionId, next);
      return next;
    };
    const reportingHandler = async (record: SQSRecord): Promise<void> => {
      try {
        await recordHandler(record, context);
      } catch (error) {
        const target = options.deadLetters();
        const reason = deadLetterReason(record, error, target.maxReceiveCount, options);
        metrics.addMetric(
          error instanceof PoisonMessageError ? 'PoisonMessages' : 'RecordFailures',
          MetricUnit.Count,
          1,
        );
        logFailure(record, error, reason);
        if (reason && (await deadLetter(record, error, reason, target.queueUrl, context.functionName))) return;
        throw error;
      }
    };
    // A processor per invocation: it holds the batch's state, and the local runtime runs several
    // invocations of one handler at once in one process (Lambda runs one per environment).
    return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
  };
}

/** Parses a message body as JSON, or names it poison; the body is never put in the error. */
export function parseJsonBody(record: SQSRecord): unknown {
  try {
    return JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`Message ${record.messageId} is not valid JSON`);
  }
}

/** A schema as the message parser needs it (a zod schema is one). */
export interface MessageSchema<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[] }[] } };
}

/**
 * A message body as the schema reads it, or poison naming the fields that are wrong (their paths,
 * never their values).
 */
export function parseMessage<T>(schema: MessageSchema<T>, body: unknown, messageId: string, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.map(String).join('.'));
    throw new PoisonMessageError(`Message ${messageId} is not a valid ${what}`, fields);
  }
  return parsed.data;
}

function receiveCountOf(record: SQSRecord): number {
  return Number(record.attributes?.ApproximateReceiveCount ?? 0);
}

function deadLetterReason(
  record: SQSRecord,
  error: unknown,
  maxReceiveCount: number | undefined,
  options: SqsBatchOptions,
): DeadLetterReason | undefined {
  if (error instanceof PoisonMessageError) return 'poison';
  if (maxReceiveCount === undefined || receiveCountOf(record) < maxReceiveCount) return undefined;
  return options.keepOnLastReceive?.(error) ? undefined : 'retries-exhausted';
}

/** Our own poison messages and AWS service errors carry no submitted data; other messages might. */
function safeErrorMessage(error: unknown): string | undefined {
  const sdkError = error instanceof Error && '$metadata' in error;
  return (error instanceof PoisonMessageError || sdkError) && error instanceof Error ? error.message : undefined;
}

/**
 * Sends the message to the dead-letter queue with its reason; the caller then reports it processed,
 * so it leaves its queue. Returns false (the record fails as usual) when there is no DLQ configured
 * or the send fails: the message is retried, never dropped.
 */
async function deadLetter(
  record: SQSRecord,
  error: unknown,
  reason: DeadLetterReason,
  queueUrl: string | undefined,
  functionName: string,
): Promise<boolean> {
  if (!queueUrl) return false;
  const info: DeadLetterInfo = {
    reason,
    errorName: error instanceof Error ? error.name : typeof error,
    errorMessage: safeErrorMessage(error)?.slice(0, 1000),
    fields: error instanceof PoisonMessageError ? error.fields.slice(0, 50).map((f) => f.slice(0, 300)) : undefined,
    sourceQueueArn: record.eventSourceARN,
    receiveCount: receiveCountOf(record),
    functionName,
    failedAt: new Date().toISOString(),
  };
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    if (value.stringValue !== undefined && name !== DEAD_LETTER_ATTRIBUTE)
      attributes[name] = { DataType: value.dataType || 'String', StringValue: value.stringValue };
  }
  attributes[DEAD_LETTER_ATTRIBUTE] = { DataType: 'String', StringValue: JSON.stringify(info) };
  try {
    await sqsClient().send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: record.body, MessageAttributes: attributes }),
    );
  } catch (sendError) {
    logger.error('Could not dead-letter the message: it stays in its queue', {
      messageId: record.messageId,
      errorName: sendError instanceof Error ? sendError.name : typeof sendError,
    });
    return false;
  }
  const deadLetterMetric = metrics.singleMetric();
  deadLetterMetric.addDimension('reason', reason);
  deadLetterMetric.addMetric('DeadLetters', MetricUnit.Count, 1);
  return true;
}

function logFailure(record: SQSRecord, error: unknown, deadLetterReason: DeadLetterReason | undefined): void {
  const message = deadLetterReason
    ? `Record failed: to the DLQ (${deadLetterReason})`
    : 'Record failed: it will be retried';
  logger.error(message, {
    messageId: record.messageId,
    submissionId: record.messageAttributes?.submissionId?.stringValue,
    receiveCount: receiveCountOf(record),
    errorName: error instanceof Error ? error.name : typeof error,
    errorMessage: safeErrorMessage(error),
    fields: error instanceof PoisonMessageError ? error.fields : undefined,
  });
}
