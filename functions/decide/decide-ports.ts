import type { AuditTrail, EventPublisher, RecordStore, TimeStep } from '#core/ports';

/** What the decide step reads and writes. */
export interface DecidePorts {
  records: RecordStore;
  audit: AuditTrail;
  events: EventPublisher;
}

export interface DecideOptions {
  /** A policy configured for every booking; without one, the policy in force at booking time decides. */
  pinnedPolicyId?: string;
  /** Runs the policy evaluation, so that a caller can time it. @default runs it */
  timeStep?: TimeStep<'decision'>;
}

/** The invocation a message came in, as the audit trail names it. */
export interface Invocation {
  functionName: string;
  awsRequestId: string;
}
