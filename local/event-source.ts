import { ChangeMessageVisibilityBatchCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Consumer } from 'sqs-consumer';
import type { ConsumerSettings } from '#functions/definitions';
import { LOCAL_REGION } from './emulators/local-credentials';
import type { InvocationListener } from './lambda-context';
import type { FaultInjector, FunctionKey } from './harness/faults/fault-injector';
import type { Invoker } from './environments/environment-pool';

export interface EventSourceOptions {
  functionName: string;
  queueUrl: string;
  queueArn: string;
  sqs: SQSClient;
  /** Where each batch goes: the function's execution environments. */
  environments: Invoker;
  consumer: ConsumerSettings;
  /**
   * Seconds before a failed record is received again. Lambda leaves it invisible for the queue's
   * whole visibility timeout; locally that would make every retry take minutes, so failed records
   * come back sooner. Receive counts and redrive to the DLQ are unchanged.
   */
  retryDelaySeconds: number;
  /** Parallel pollers, like the concurrent invocations of an event-source mapping. */
  concurrency: number;
  onError?: (error: Error) => void;
  /** Injects invocation faults (crashes, duplicate deliveries) planned for `faultKey`. */
  faults?: { injector: FaultInjector; key: FunctionKey };
  /** Counts of what the source received, for soak figures. */
  stats?: EventSourceStats;
  /** Told of every invocation's duration (benchmarks: Lambda GB-seconds). */
  onInvocation?: InvocationListener;
}

export interface EventSourceStats {
  /** Messages received, every receive counted. */
  received: number;
  /** Receives of a message already received before (ApproximateReceiveCount > 1). */
  redelivered: number;
  invocations: number;
}

export function emptyEventSourceStats(): EventSourceStats {
  return { received: 0, redelivered: 0, invocations: 0 };
}

/** A crashed invocation: it answered nothing, so the event source acknowledges nothing. */
export class InjectedCrashError extends Error {
  constructor(functionName: string, handled: number) {
    super(`Injected fault: ${functionName} crashed after ${handled} records`);
    this.name = 'InjectedCrashError';
  }
}

/** The Lambda event shape of one received message. */
export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          dataType: value.DataType ?? 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/**
 * An SQS event-source mapping for a handler, on sqs-consumer: batches of up to batchSize, partial
 * batch responses (successes deleted, failures left to come back), a thrown handler leaving the whole
 * batch to come back, and redrive to the DLQ done by the queue itself after maxReceiveCount.
 */
export function startEventSource(options: EventSourceOptions): { stop(): Promise<void> } {
  const consumers = Array.from({ length: options.concurrency }, () =>
    Consumer.create({
      queueUrl: options.queueUrl,
      sqs: options.sqs,
      batchSize: Math.min(10, options.consumer.batchSize),
      waitTimeSeconds: 1,
      pollingWaitTimeMs: 0,
      messageSystemAttributeNames: ['All'],
      messageAttributeNames: ['All'],
      strictReturn: true,
      terminateVisibilityTimeout: options.retryDelaySeconds,
      handleMessageBatch: async (messages) => {
        const records = messages.map((m) => toSqsRecord(m, options.queueArn));
        countReceives(options.stats, records);
        const failed = await invoke(options, records);
        if (failed.size > 0)
          await retryLater(
            options,
            messages.filter((m) => failed.has(m.MessageId ?? '')),
          );
        return messages.filter((m) => !failed.has(m.MessageId ?? ''));
      },
    }),
  );
  for (const consumer of consumers) {
    consumer.on('error', (error) => options.onError?.(error));
    consumer.on('processing_error', (error) => options.onError?.(error));
    consumer.start();
  }
  return {
    stop: async () => {
      await Promise.all(
        consumers.map(
          (consumer) =>
            new Promise<void>((resolve) => {
              if (!consumer.status.isRunning) return resolve();
              consumer.once('stopped', () => resolve());
              consumer.stop({ abort: false });
            }),
        ),
      );
    },
  };
}

function countReceives(stats: EventSourceStats | undefined, records: SQSRecord[]): void {
  if (!stats) return;
  stats.received += records.length;
  stats.redelivered += records.filter((r) => Number(r.attributes.ApproximateReceiveCount) > 1).length;
}

/**
 * One invocation of the handler with the batch; the ids of the records it failed. An injected crash
 * handles the first records, then throws: sqs-consumer then acknowledges nothing. An injected
 * duplicate delivery runs the batch twice at once; a record is done if either copy succeeded, as a
 * delete with either receipt handle removes the message.
 */
async function invoke(options: EventSourceOptions, records: SQSRecord[]): Promise<Set<string>> {
  const run = async (batch: SQSRecord[]) => {
    if (options.stats) options.stats.invocations++;
    const { result, durationMs } = await options.environments.invoke({ Records: batch } satisfies SQSEvent);
    options.onInvocation?.({ functionName: options.functionName, records: batch.length, durationMs });
    const response = result as SQSBatchResponse;
    return new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  };
  const faults = options.faults;
  const crash = faults?.injector.takeCrash(faults.key);
  if (crash) {
    const handled = records.slice(0, crash.afterRecords);
    if (handled.length > 0) await run(handled);
    throw new InjectedCrashError(options.functionName, handled.length);
  }
  if (faults?.injector.takeDuplicate(faults.key)) {
    const [first, second] = await Promise.all([run(records), run(records)]);
    return new Set([...first].filter((id) => second.has(id)));
  }
  return run(records);
}

async function retryLater(options: EventSourceOptions, messages: Message[]): Promise<void> {
  await options.sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: messages.map((m, i) => ({
        Id: String(i),
        ReceiptHandle: m.ReceiptHandle ?? '',
        VisibilityTimeout: options.retryDelaySeconds,
      })),
    }),
  );
}
