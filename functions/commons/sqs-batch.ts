import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from './powertools';

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

/**
 * Runs a record handler over an SQS batch and reports each failed record back to the event source,
 * so one bad record never fails (and redelivers) the whole batch. Failures are logged with ids,
 * the error's class and field paths only: never the message body.
 */
export function sqsBatchHandler(
  recordHandler: (record: SQSRecord) => Promise<void>,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const reportingHandler = async (record: SQSRecord): Promise<void> => {
    try {
      await recordHandler(record);
    } catch (error) {
      metrics.addMetric(error instanceof PoisonMessageError ? 'PoisonMessages' : 'RecordFailures', MetricUnit.Count, 1);
      logFailure(record, error);
      throw error;
    }
  };
  return (event, context) =>
    processPartialResponse(event, reportingHandler, processor, { context, throwOnFullBatchFailure: false });
}

/** Parses a message body as JSON, or names it poison; the body is never put in the error. */
export function parseJsonBody(record: SQSRecord): unknown {
  try {
    return JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`Message ${record.messageId} is not valid JSON`);
  }
}

function logFailure(record: SQSRecord, error: unknown): void {
  const poison = error instanceof PoisonMessageError;
  const sdkError = error instanceof Error && '$metadata' in error;
  logger.error(poison ? 'Poison message: it goes to the DLQ after its retries' : 'Record failed: it will be retried', {
    messageId: record.messageId,
    submissionId: record.messageAttributes?.submissionId?.stringValue,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 0),
    errorName: error instanceof Error ? error.name : typeof error,
    // Our own poison messages and AWS service errors carry no submitted data; other messages might.
    errorMessage: (poison || sdkError) && error instanceof Error ? error.message : undefined,
    fields: poison ? error.fields : undefined,
  });
}
