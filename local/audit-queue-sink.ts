import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { AuditSink } from '#adapters/audit-trail';
import { sqsClient } from '#runtime/clients';
import { functionEnvironment } from '#runtime/read-environment';

/**
 * The local stand-in for the audit trail's log group: a queue (SC_LOCAL_AUDIT_QUEUE_URL), read by
 * the status page and the tests. It goes through the handlers' SQS client, so injected faults reach
 * it as they would reach CloudWatch Logs.
 */
export const auditQueueSink: AuditSink = async (events) => {
  const queueUrl = functionEnvironment.localAuditQueueUrl();
  if (!queueUrl) throw new Error('SC_LOCAL_AUDIT_QUEUE_URL is not set');
  for (let i = 0; i < events.length; i += 10) {
    const result = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: events.slice(i, i + 10).map((event, j) => ({ Id: String(j), MessageBody: JSON.stringify(event) })),
      }),
    );
    if ((result.Failed ?? []).length > 0) throw new Error('The local audit queue rejected audit events');
  }
};
