import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { MessageQueue } from '#core/ports';
import { sqsClient } from '#runtime/clients';

/** Sends one JSON message; the submissionId rides along as an attribute so tools can show it. */
export async function sendJson(queueUrl: string, body: unknown, submissionId: string): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
      MessageAttributes: { submissionId: { DataType: 'String', StringValue: submissionId } },
    }),
  );
}

/** One SQS queue through the senders' port. */
export function sqsQueue(queueUrl: string): MessageQueue {
  return { send: (body, submissionId) => sendJson(queueUrl, body, submissionId) };
}
