import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { decide } from '#core/policy/decide';
import { policyInForce } from '#core/policy/registry';
import { untimed, type StoredRecord } from '#core/ports';
import { MatchResultSchema } from '#core/schemas/match-result';
import { logger, metrics } from '#runtime/powertools';
import { parseMessage } from '#runtime/sqs-batch';
import type { DecideOptions, DecidePorts, Invocation } from './decide-ports';
import { finishOutbox } from './finish-outbox';

/**
 * One match result: the policy in force decides, the record is written once (conditional write),
 * entered in the audit trail and published. A redelivered message finds the record written and only
 * finishes what the first attempt may not have.
 */
export async function decideMatch(
  messageId: string,
  body: unknown,
  invocation: Invocation,
  ports: DecidePorts,
  options: DecideOptions = {},
): Promise<void> {
  const match = parseMessage(MatchResultSchema, body, messageId, 'match result');
  const { submissionId } = match.booking;
  const policy = policyInForce(match.booking.bookedAt, options.pinnedPolicyId);
  const decided = (options.timeStep ?? untimed)('decision', () => decide(match, policy));

  const written = await ports.records.writeDecision(decided, match);
  const stored: StoredRecord | null = written
    ? { record: decided }
    : await ports.records.getRecord(submissionId, decided.version);
  if (!stored) throw new Error(`Record v${decided.version} of ${submissionId} vanished after a conflicting write`);
  await finishOutbox(stored, 'booking', invocation, ports);

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
