import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { decide } from '#core/policy/decide';
import { getPolicy } from '#core/policy/registry';
import { untimed, type StoredRecord } from '#core/ports';
import { ReviewRequestSchema } from '#core/schemas/records';
import { logger, metrics } from '#runtime/powertools';
import { PoisonMessageError, parseMessage } from '#runtime/sqs-batch';
import type { DecideOptions, DecidePorts, Invocation } from './decide-ports';
import { finishOutbox } from './finish-outbox';

/**
 * A review request: the stored case decided again under the requested policy, written as a new
 * version that supersedes the active one, and published. Nothing is written when the active record
 * already comes from the same inputs (same case, same policy and version): a redelivered or repeated
 * request makes no second version.
 */
export async function reviewCase(
  messageId: string,
  body: unknown,
  invocation: Invocation,
  ports: DecidePorts,
  options: DecideOptions = {},
): Promise<void> {
  const { submissionId, policyId, reviewId } = parseMessage(ReviewRequestSchema, body, messageId, 'review request');
  const { records } = ports;
  let policy;
  try {
    policy = getPolicy(policyId);
  } catch {
    throw new PoisonMessageError(`Review ${reviewId}: unknown policy`, ['policyId']);
  }
  const [match, latest] = await Promise.all([
    records.getStoredCase(submissionId),
    records.getLatestRecord(submissionId),
  ]);
  if (!match || !latest)
    throw new PoisonMessageError(`Review ${reviewId}: no decided case for the booking`, ['submissionId']);

  const decided = (options.timeStep ?? untimed)('decision', () =>
    decide(match, policy, { version: latest.record.version + 1 }),
  );
  let stored: StoredRecord = latest;
  let written = false;
  if (latest.record.inputHash !== decided.inputHash) {
    written = await records.writeRevision(decided, latest.record.version, `review:${reviewId}`);
    if (written) stored = { record: decided };
    else {
      // Someone else wrote a version first; fine if it comes from the same inputs, else retry.
      const now = await records.getLatestRecord(submissionId);
      if (!now || now.record.inputHash !== decided.inputHash)
        throw new Error(`Review ${reviewId}: a concurrent version of ${submissionId}`);
      stored = now;
    }
  }
  await finishOutbox(stored, `review:${reviewId}`, invocation, ports);
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
