import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { listDeadLetters } from '#cli/ops/dead-letters/read';
import type { LocalResources } from '#local/provision';

/** Did every submission come out exactly once, as a record or as a dead letter? */
export interface DeliveryAudit {
  submitted: number;
  /** Submissions with exactly one record. */
  recorded: number;
  /** Submissions with a dead letter and no record. */
  deadLettered: number;
  /** Submissions with neither. */
  lost: string[];
  /** Submissions decided twice (two records or two RECORD_WRITTEN audit entries), or with a record and a dead letter. */
  duplicated: string[];
  /** Dead-letter messages beyond the first of a submission (two copies of one message both failed). */
  deadLetterCopies: number;
  /** Dead letters by reason (REDRIVE_POLICY_REASON: moved by the queue's redrive policy, no reason attached). */
  deadLetterReasons: Record<string, number>;
  /** The dead letters of the submitted ids. */
  deadLetters: Array<{ submissionId: string; reason: string }>;
  /** Records or dead letters of submissions not in the list (should be none). */
  strays: number;
}

interface Clients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
}

/**
 * Per submissionId: record items (every version) and RECORD_WRITTEN audit entries. Without a review a
 * booking has one of each. A record's key is fixed (`RECORD#v0001`), so a second decision of the same
 * booking would overwrite it rather than add one; its audit entry (keyed by decision time) would not.
 */
async function writesPerSubmission(
  clients: Clients,
  tableName: string,
): Promise<Map<string, { records: number; decisions: number }>> {
  const document = DynamoDBDocumentClient.from(clients.dynamodb);
  const counts = new Map<string, { records: number; decisions: number }>();
  const segments = 4;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await document.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: 'pk, sk',
            FilterExpression: 'begins_with(sk, :record) OR (begins_with(sk, :audit) AND contains(sk, :written))',
            ExpressionAttributeValues: { ':record': 'RECORD#', ':audit': 'AUDIT#', ':written': '#RECORD_WRITTEN' },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const id = String(item.pk).replace(/^BOOKING#/, '');
          const count = counts.get(id) ?? { records: 0, decisions: 0 };
          if (String(item.sk).startsWith('RECORD#')) count.records++;
          else count.decisions++;
          counts.set(id, count);
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return counts;
}

/** Messages waiting or in flight. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Waits until both pipeline queues are empty (nothing waiting, nothing in flight) twice in a row. */
export async function awaitSettled(
  clients: Clients,
  resources: LocalResources,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let idleChecks = 0;
  while (idleChecks < 2) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the queues to drain');
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    const depths = await Promise.all([
      queueDepth(clients.sqs, resources.queues.bookings.url),
      queueDepth(clients.sqs, resources.queues.decisions.url),
    ]);
    idleChecks = depths.every((depth) => depth === 0) ? idleChecks + 1 : 0;
  }
}

/** The audit of a run: for each submitted id, its records and its dead letters. */
export async function auditDelivery(
  clients: Clients,
  resources: LocalResources,
  submissionIds: readonly string[],
): Promise<DeliveryAudit> {
  const [records, bookingsDead, decisionsDead] = await Promise.all([
    writesPerSubmission(clients, resources.tables.records),
    listDeadLetters(clients.sqs, resources.queues.bookings.dlqUrl, { max: Number.POSITIVE_INFINITY }),
    listDeadLetters(clients.sqs, resources.queues.decisions.dlqUrl, { max: Number.POSITIVE_INFINITY }),
  ]);
  const submitted = new Set(submissionIds);
  const deadLetters = new Map<string, number>();
  const deadLetterReasons: Record<string, number> = {};
  const audit: DeliveryAudit = {
    submitted: submitted.size,
    recorded: 0,
    deadLettered: 0,
    lost: [],
    duplicated: [],
    deadLetterCopies: 0,
    deadLetterReasons,
    deadLetters: [],
    strays: 0,
  };

  for (const letter of [...bookingsDead, ...decisionsDead]) {
    const id = letter.submissionId ?? `(no submissionId: ${letter.messageId})`;
    if (submitted.has(id)) audit.deadLetters.push({ submissionId: id, reason: letter.reason });
    deadLetters.set(id, (deadLetters.get(id) ?? 0) + 1);
    deadLetterReasons[letter.reason] = (deadLetterReasons[letter.reason] ?? 0) + 1;
  }
  for (const id of submitted) {
    const writes = records.get(id) ?? { records: 0, decisions: 0 };
    const recordCount = Math.max(writes.records, writes.decisions);
    const deadCount = deadLetters.get(id) ?? 0;
    audit.deadLetterCopies += Math.max(0, deadCount - 1);
    if (recordCount > 1 || (recordCount === 1 && deadCount > 0)) audit.duplicated.push(id);
    else if (recordCount === 1) audit.recorded++;
    else if (deadCount > 0) audit.deadLettered++;
    else audit.lost.push(id);
  }
  for (const id of new Set([...records.keys(), ...deadLetters.keys()])) if (!submitted.has(id)) audit.strays++;
  return audit;
}
