import { randomUUID } from 'node:crypto';
import {
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AuditTrail } from '#core/ports';
import type { AuditEvent } from '#core/schemas';
import { cloudWatchLogsClient } from '#runtime/clients';
import { functionEnvironment } from '#runtime/read-environment';

/**
 * The audit trail: every record written and every read of a record through the API, appended to a
 * CloudWatch Logs log group. Log events cannot be edited, and the functions' roles may only create
 * streams in that group and put events (no delete, no retention change): they can add to the trail,
 * never change it. Locally, where no CloudWatch Logs emulator runs, the local runtime registers a
 * stand-in (local/audit-queue-sink.ts), so no local code is in a deployed bundle.
 */
export type AuditSink = (events: readonly AuditEvent[]) => Promise<void>;

// On the global object under a registered symbol, so a sink registered by the local runtime also
// reaches the copy of this module inside a built bundle.
const LOCAL_SINK = Symbol.for('sc-pipeline.local-audit-sink');
const registry = globalThis as { [LOCAL_SINK]?: AuditSink };

/** Where the entries go when no audit log group is configured (the local runtime and tests only). */
export function registerLocalAuditSink(sink: AuditSink | undefined): void {
  registry[LOCAL_SINK] = sink;
}

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
  const groupName = functionEnvironment.auditLogGroupName();
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
  const localSink = registry[LOCAL_SINK];
  if (!localSink) throw new Error('AUDIT_LOG_GROUP_NAME is not set and no local audit sink is registered');
  await localSink(events);
}

/** The audit log group (or the local sink) through the steps' port. */
export const cloudWatchAuditTrail: AuditTrail = { append: appendAuditEvents };
