import { registerLocalAuditSink } from '#adapters/audit-trail';
import { auditQueueSink } from '#local/audit-queue-sink';
import type { EnvironmentSetup } from './protocol';

/**
 * Inside an execution environment: the stand-in for the audit log group (a queue), where no
 * CloudWatch Logs emulator runs. Registered from outside the handler, so no local code is in a bundle.
 */
export const setupEnvironment: EnvironmentSetup = () => {
  registerLocalAuditSink(auditQueueSink);
};
