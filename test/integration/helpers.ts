import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { queueDepth as sqsQueueDepth } from '#local/harness/delivery-audit';
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '#local/local-pipeline';

/** A pipeline on the run's shared emulators, with tables and queues of its own. */
export function startTestPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  return startLocalPipeline({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    prefix: `it-${randomBytes(4).toString('hex')}`,
    ...options,
  });
}

/** Every item of a booking's partition in the records table. */
export async function bookingItems(pipeline: LocalPipeline, submissionId: string): Promise<Record<string, unknown>[]> {
  const result = await DynamoDBDocumentClient.from(pipeline.clients.dynamodb).send(
    new QueryCommand({
      TableName: pipeline.resources.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `BOOKING#${submissionId}` },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

export async function sendRaw(pipeline: LocalPipeline, queueUrl: string, body: string): Promise<void> {
  await pipeline.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

/** Messages waiting or in flight in a queue. */
export function queueDepth(pipeline: LocalPipeline, queueUrl: string): Promise<number> {
  return sqsQueueDepth(pipeline.clients.sqs, queueUrl);
}

/** Receives (and deletes) messages until `count` have arrived or the time is up. */
export async function drainMessages(
  pipeline: LocalPipeline,
  queueUrl: string,
  count: number,
  timeoutMs = 30_000,
): Promise<Message[]> {
  const received: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) {
    const result = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of result.Messages ?? []) {
      received.push(message);
      await pipeline.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }),
      );
    }
  }
  return received;
}

/** Waits until a condition holds, polling; fails with the message given. */
export async function eventually(check: () => Promise<boolean>, message: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
