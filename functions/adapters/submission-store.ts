import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '#runtime/clients';
import type { Registration, Submission, SubmissionStore } from '#core/ports';
import { recordKeys } from './keys';

/**
 * The ingest side of idempotency: one SUBMISSION item per submissionId, written with a conditional
 * put. It holds only a hash of the booking, never the booking itself.
 */
export async function registerSubmission(tableName: string, submission: Submission): Promise<Registration> {
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

/** The records table's SUBMISSION items through the ingest and get-booking steps' port. */
export function dynamoSubmissionStore(tableName: string): SubmissionStore {
  return {
    register: (submission) => registerSubmission(tableName, submission),
    markEnqueued: (submissionId, at) => markEnqueued(tableName, submissionId, at),
    exists: (submissionId) => submissionExists(tableName, submissionId),
  };
}
