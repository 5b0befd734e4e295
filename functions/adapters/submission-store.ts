import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '#runtime/clients';
import { recordKeys } from './keys';

export type Registration =
  /** First time this submissionId is seen. */
  | { kind: 'new' }
  /** Seen before with the same booking; `enqueued` says whether it reached the queue. */
  | { kind: 'duplicate'; enqueued: boolean }
  /** Seen before with a different booking: the client reused an id. */
  | { kind: 'conflict' };

/**
 * The ingest side of idempotency: one SUBMISSION item per submissionId, written with a conditional
 * put. It holds only a hash of the booking, never the booking itself.
 */
export async function registerSubmission(
  tableName: string,
  submission: { submissionId: string; bookingHash: string; ori: string; receivedAt: string },
): Promise<Registration> {
  const key = recordKeys.submission(submission.submissionId);
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, ...submission, enqueued: false },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { kind: 'new' };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const existing = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  const item = existing.Item as { bookingHash?: string; enqueued?: boolean } | undefined;
  if (item?.bookingHash !== submission.bookingHash) return { kind: 'conflict' };
  return { kind: 'duplicate', enqueued: item.enqueued === true };
}

export async function markEnqueued(tableName: string, submissionId: string, at: string): Promise<void> {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: tableName,
      Key: recordKeys.submission(submissionId),
      UpdateExpression: 'SET enqueued = :true, enqueuedAt = :at',
      ExpressionAttributeValues: { ':true': true, ':at': at },
    }),
  );
}

export async function submissionExists(tableName: string, submissionId: string): Promise<boolean> {
  const result = await dynamoDocumentClient().send(
    new GetCommand({
      TableName: tableName,
      Key: recordKeys.submission(submissionId),
      ProjectionExpression: 'pk',
    }),
  );
  return result.Item !== undefined;
}
