import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * The SQS calls that reading and redriving dead letters share: receiving with every attribute,
 * handing messages back, and a queue's ARN and depth. Every function takes its SQS client, so the
 * CLI and the tests bring their own (local or AWS).
 */

/**
 * Up to `count` (at most 10) messages with all their message and system attributes, hidden for
 * `visibilityTimeout` seconds. Long-polls for 1 s, so SQS asks all its servers and an empty answer
 * means an empty (or fully hidden) queue.
 */
export async function receive(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  visibilityTimeout: number,
): Promise<Message[]> {
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
 * Makes received messages visible again at once. Best effort: a handle that expired belongs to a
 * message already visible again, and if the call is refused (no sqs:ChangeMessageVisibility) the
 * messages come back after their timeout anyway.
 */
export async function makeVisible(sqs: SQSClient, queueUrl: string, receiptHandles: string[]): Promise<void> {
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
