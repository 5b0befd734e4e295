import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { SQSRecord } from 'aws-lambda';
import { decide } from '../core/policy/decide';
import { policyInForce } from '../core/policy/registry';
import { MatchResultSchema } from '../core/schemas';
import { resources } from '../commons/config';
import { logger, metrics, tracer } from '../commons/powertools';
import { PoisonMessageError, parseJsonBody, sqsBatchHandler } from '../commons/sqs-batch';
import { getRecord, markEventPublished, writeDecision, type StoredRecord } from '../commons/adapters/record-store';
import { publishRecordEvent } from '../commons/adapters/event-publisher';

/**
 * One match result: the policy in force decides, the record is written once (conditional put), and
 * published. A redelivered message finds the record written and only finishes what the first
 * attempt may not have: publishing the event.
 */
export async function decideMatch(record: SQSRecord): Promise<void> {
  const parsed = MatchResultSchema.safeParse(parseJsonBody(record));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid match result`, fields);
  }
  const match = parsed.data;
  const { submissionId } = match.booking;
  const policy = policyInForce(match.booking.bookedAt, resources.pinnedPolicyId());
  const decided = decide(match, policy);
  const tableName = resources.recordsTableName();

  const written = await writeDecision(tableName, decided, match);
  const stored: StoredRecord | null = written
    ? { record: decided }
    : await getRecord(tableName, submissionId, decided.version);
  if (!stored) throw new Error(`Record v${decided.version} of ${submissionId} vanished after a conflicting write`);

  if (!stored.eventPublishedAt) {
    await publishRecordEvent(stored.record);
    await markEventPublished(tableName, submissionId, stored.record.version, new Date().toISOString());
  }

  if (written) {
    const recordMetric = metrics.singleMetric();
    recordMetric.addDimension('recordType', decided.type);
    recordMetric.addMetric('RecordsWritten', MetricUnit.Count, 1);
  } else {
    metrics.addMetric('DuplicateDeliveries', MetricUnit.Count, 1);
  }
  logger.info(written ? 'Record written' : 'Record already written; duplicate delivery', {
    submissionId,
    recordType: stored.record.type,
    policy: `${policy.id}@${policy.version}`,
  });
}

export const handler = middy(sqsBatchHandler(decideMatch))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }));
