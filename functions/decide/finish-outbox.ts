import type { StoredRecord } from '#core/ports';
import type { DecidePorts, Invocation } from './decide-ports';

/**
 * What follows a record's write, each step done once and marked (an outbox): the entry in the audit
 * trail, then the event for downstream systems. A redelivery finds the marks and does only what the
 * first attempt did not; a crash between a step and its mark repeats that step (at least once).
 */
export async function finishOutbox(
  stored: StoredRecord,
  trigger: string,
  invocation: Invocation,
  { records, audit, events }: DecidePorts,
): Promise<void> {
  const { record } = stored;
  if (!stored.auditLoggedAt) {
    await audit.append([
      {
        at: record.decidedAt,
        action: 'RECORD_WRITTEN',
        actor: invocation.functionName,
        trigger,
        submissionId: record.submissionId,
        recordVersion: record.version,
        outcome: record.type,
        policy: `${record.policy.id}@${record.policy.version}`,
        inputHash: record.inputHash,
        requestId: invocation.awsRequestId,
      },
    ]);
    await records.markOutboxDone(record.submissionId, record.version, 'auditLoggedAt', new Date().toISOString());
  }
  if (!stored.eventPublishedAt) {
    await events.publishRecordEvent(record);
    await records.markOutboxDone(record.submissionId, record.version, 'eventPublishedAt', new Date().toISOString());
  }
}
