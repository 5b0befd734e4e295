import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { RecordTypeSchema, type RecordType, type ReviewRequest } from '#core/schemas';
import { dynamoDocumentClient, sqsClient } from '#runtime/clients';
import { mapWithConcurrency } from '#runtime/concurrency';
import { sendJson } from '#adapters/queue-sender';
import { getLatestRecord } from '#adapters/record-store';

/** An active record a review covers: its booking, and what it is now. */
export interface ReviewedCase {
  submissionId: string;
  type: RecordType;
  version: number;
  policyId: string;
}

export interface ReviewRange {
  /** Booking dates, inclusive (YYYY-MM-DD, compared with the booking's local date). */
  since?: string;
  until?: string;
}

/**
 * The bookings whose active record falls in the range, through the byTypeAndStatus index (one query
 * per record type, no table scan).
 */
export async function activeCases(tableName: string, range: ReviewRange): Promise<ReviewedCase[]> {
  const cases: ReviewedCase[] = [];
  for (const type of RecordTypeSchema.options) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDocumentClient().send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byTypeAndStatus',
          KeyConditionExpression: 'typeStatus = :ts',
          ExpressionAttributeValues: { ':ts': `${type}#active` },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const record = item.record as {
          submissionId: string;
          version: number;
          bookedAt: string;
          policy: { id: string };
        };
        const day = record.bookedAt.slice(0, 10);
        if ((range.since && day < range.since) || (range.until && day > range.until)) continue;
        cases.push({ submissionId: record.submissionId, type, version: record.version, policyId: record.policy.id });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return cases;
}

export async function queueUrlOf(queueName: string): Promise<string> {
  const result = await sqsClient().send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!result.QueueUrl) throw new Error(`No queue named ${queueName}`);
  return result.QueueUrl;
}

/** Sends one review request per case to the decisions queue (the decide function does the work). */
export async function requestReviews(
  queueUrl: string,
  cases: readonly ReviewedCase[],
  policyId: string,
  reviewId: string,
): Promise<void> {
  await mapWithConcurrency(cases, 16, async ({ submissionId }) => {
    const request: ReviewRequest = { kind: 'review', submissionId, policyId, reviewId };
    await sendJson(queueUrl, request, submissionId);
  });
}

export interface Transition {
  from: RecordType;
  to: RecordType;
  count: number;
}

/**
 * Waits until every case's active record is under the review's policy (a new version, or the one it
 * had), then counts the transitions. Cases still pending at the deadline are returned as such.
 */
export async function awaitTransitions(
  tableName: string,
  cases: readonly ReviewedCase[],
  policyId: string,
  timeoutMs: number,
): Promise<{ transitions: Transition[]; pending: string[] }> {
  const done = new Map<string, RecordType>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < cases.length && Date.now() < deadline) {
    const waiting = cases.filter((c) => !done.has(c.submissionId));
    await mapWithConcurrency(waiting, 16, async ({ submissionId }) => {
      const latest = await getLatestRecord(tableName, submissionId);
      if (latest && latest.record.policy.id === policyId && latest.record.status === 'active') {
        done.set(submissionId, latest.record.type);
      }
    });
    if (done.size < cases.length) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const counts = new Map<string, Transition>();
  for (const c of cases) {
    const to = done.get(c.submissionId);
    if (!to) continue;
    const key = `${c.type}>${to}`;
    const transition = counts.get(key) ?? { from: c.type, to, count: 0 };
    transition.count++;
    counts.set(key, transition);
  }
  return {
    transitions: [...counts.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from)),
    pending: cases.filter((c) => !done.has(c.submissionId)).map((c) => c.submissionId),
  };
}
