import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, SQSRecord } from 'aws-lambda';
import { decide } from '#core/policy/decide';
import { policyInForce } from '#core/policy/registry';
import { MatchResultSchema, ReviewRequestSchema } from '#core/schemas';
import { getPolicy } from '#core/policy/registry';
import { resources } from '#runtime/read-environment';
import { logger, metrics, tracer } from '#runtime/powertools';
import { PoisonMessageError, parseJsonBody, sqsBatchHandler } from '#runtime/sqs-batch';
import {
  getLatestRecord,
  getRecord,
  getStoredCase,
  markOutboxDone,
  writeDecision,
  writeRevision,
  type StoredRecord,
} from '#adapters/record-store';
import { publishRecordEvent } from '#adapters/event-publisher';
import { appendAuditEvents } from '#adapters/audit-trail';
import { PHASES, timePhase } from '#runtime/phase-timer';

/**
 * What follows a record's write, each step done once and marked (an outbox): the entry in the audit
 * trail, then the event for downstream systems. A redelivery finds the marks and does only what the
 * first attempt did not; a crash between a step and its mark repeats that step (at least once).
 */
async function finishOutbox(tableName: string, stored: StoredRecord, trigger: string, context: Context) {
  const { record } = stored;
  if (!stored.auditLoggedAt) {
    await timePhase(PHASES.audit, () =>
      appendAuditEvents([
        {
          at: record.decidedAt,
          action: 'RECORD_WRITTEN',
          actor: context.functionName,
          trigger,
          submissionId: record.submissionId,
          recordVersion: record.version,
          outcome: record.type,
          policy: `${record.policy.id}@${record.policy.version}`,
          inputHash: record.inputHash,
          requestId: context.awsRequestId,
        },
      ]),
    );
    await timePhase(PHASES.records, () =>
      markOutboxDone(tableName, record.submissionId, record.version, 'auditLoggedAt', new Date().toISOString()),
    );
  }
  if (!stored.eventPublishedAt) {
    await timePhase(PHASES.events, () => publishRecordEvent(record));
    await timePhase(PHASES.records, () =>
      markOutboxDone(tableName, record.submissionId, record.version, 'eventPublishedAt', new Date().toISOString()),
    );
  }
}

/**
 * One match result: the policy in force decides, the record is written once (conditional put),
 * entered in the audit trail and published. A redelivered message finds the record written and only
 * finishes what the first attempt may not have.
 */
export async function decideMatch(record: SQSRecord, context: Context): Promise<void> {
  const body = parseJsonBody(record);
  if (typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'review') {
    return reviewCase(record, body, context);
  }
  const parsed = MatchResultSchema.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid match result`, fields);
  }
  const match = parsed.data;
  const { submissionId } = match.booking;
  const policy = policyInForce(match.booking.bookedAt, resources.pinnedPolicyId());
  const decided = timePhase(PHASES.decision, () => decide(match, policy));
  const tableName = resources.recordsTableName();

  const written = await timePhase(PHASES.records, () => writeDecision(tableName, decided, match));
  const stored: StoredRecord | null = written
    ? { record: decided }
    : await timePhase(PHASES.records, () => getRecord(tableName, submissionId, decided.version));
  if (!stored) throw new Error(`Record v${decided.version} of ${submissionId} vanished after a conflicting write`);
  await finishOutbox(tableName, stored, 'booking', context);

  // Every decided match result, first delivery or not: also what keeps logMetrics from warning of
  // an empty flush when all of an invocation's other metrics went out as single metrics.
  metrics.addMetric('MatchResultsDecided', MetricUnit.Count, 1);
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

/**
 * A review request: the stored case decided again under the requested policy, written as a new
 * version that supersedes the active one, and published. Nothing is written when the active record
 * already comes from the same inputs (same case, same policy and version): a redelivered or repeated
 * request makes no second version.
 */
async function reviewCase(record: SQSRecord, body: unknown, context: Context): Promise<void> {
  const parsed = ReviewRequestSchema.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid review request`, fields);
  }
  const { submissionId, policyId, reviewId } = parsed.data;
  const tableName = resources.recordsTableName();
  let policy;
  try {
    policy = getPolicy(policyId);
  } catch {
    throw new PoisonMessageError(`Review ${reviewId}: unknown policy`, ['policyId']);
  }
  const [match, latest] = await Promise.all([
    getStoredCase(tableName, submissionId),
    getLatestRecord(tableName, submissionId),
  ]);
  if (!match || !latest)
    throw new PoisonMessageError(`Review ${reviewId}: no decided case for the booking`, ['submissionId']);

  const decided = timePhase(PHASES.decision, () => decide(match, policy, { version: latest.record.version + 1 }));
  let stored: StoredRecord = latest;
  let written = false;
  if (latest.record.inputHash !== decided.inputHash) {
    written = await writeRevision(tableName, decided, latest.record.version, `review:${reviewId}`);
    if (written) stored = { record: decided };
    else {
      // Someone else wrote a version first; fine if it comes from the same inputs, else retry.
      const now = await getLatestRecord(tableName, submissionId);
      if (!now || now.record.inputHash !== decided.inputHash)
        throw new Error(`Review ${reviewId}: a concurrent version of ${submissionId}`);
      stored = now;
    }
  }
  await finishOutbox(tableName, stored, `review:${reviewId}`, context);
  const reviewMetric = metrics.singleMetric();
  reviewMetric.addDimension('transition', `${latest.record.type}->${stored.record.type}`);
  reviewMetric.addMetric('ReviewsDecided', MetricUnit.Count, 1);
  logger.info(written ? 'Record superseded by review' : 'Review found the record current', {
    submissionId,
    reviewId,
    from: `${latest.record.type}@v${latest.record.version}`,
    to: `${stored.record.type}@v${stored.record.version}`,
    policy: `${policy.id}@${policy.version}`,
  });
}

export const handler = middy(
  // Two copies of a match result in one batch must not race to publish the event: one booking's
  // records run one after another, different bookings' in parallel.
  sqsBatchHandler(decideMatch, { deadLetters: () => resources.deadLetters('decisions'), oneAtATimePerBooking: true }),
)
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }));
