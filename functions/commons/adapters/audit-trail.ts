import { randomUUID } from 'node:crypto';
import {
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { AuditEvent } from '../../core/schemas';
import { cloudWatchLogsClient, sqsClient } from '../clients';
import { resources } from '../config';

/**
 * The audit trail: every record written and every read of a record through the API, appended to a
 * CloudWatch Logs log group. Log events cannot be edited, and the functions' roles may only create
 * streams in that group and put events (no delete, no retention change): they can add to the trail,
 * never change it. Locally, where no CloudWatch Logs emulator runs, the entries go to a queue that
 * stands in for the log group.
 */
let stream: Promise<string> | undefined;

/** One stream per process (a Lambda execution environment), created on first use. */
function logStream(groupName: string): Promise<string> {
  stream ??= (async () => {
    const name = `${new Date().toISOString().slice(0, 10)}/${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local'}/${randomUUID()}`;
    try {
      await cloudWatchLogsClient().send(new CreateLogStreamCommand({ logGroupName: groupName, logStreamName: name }));
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    }
    return name;
  })().catch((error: unknown) => {
    stream = undefined;
    throw error;
  });
  return stream;
}

/** Appends entries to the trail; throws if they were not stored (the caller must not go on as if they were). */
export async function appendAuditEvents(events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const groupName = resources.auditLogGroupName();
  if (groupName) {
    const logStreamName = await logStream(groupName);
    const result = await cloudWatchLogsClient().send(
      new PutLogEventsCommand({
        logGroupName: groupName,
        logStreamName,
        logEvents: events.map((event) => ({ timestamp: Date.parse(event.at), message: JSON.stringify(event) })),
      }),
    );
    const rejected = result.rejectedLogEventsInfo;
    if (rejected && Object.values(rejected).some((index) => index !== undefined)) {
      throw new Error(`CloudWatch Logs rejected audit events: ${JSON.stringify(rejected)}`);
    }
    return;
  }
  const queueUrl = resources.localAuditQueueUrl();
  if (!queueUrl) throw new Error('Neither AUDIT_LOG_GROUP_NAME nor SC_LOCAL_AUDIT_QUEUE_URL is set');
  for (let i = 0; i < events.length; i += 10) {
    const result = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: events.slice(i, i + 10).map((event, j) => ({ Id: String(j), MessageBody: JSON.stringify(event) })),
      }),
    );
    if ((result.Failed ?? []).length > 0) throw new Error('The local audit queue rejected audit events');
  }
}
