import { ENV } from './environment-variables';

/** Reads a required environment variable; a missing one is a deployment error, named plainly. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing environment variable ${name}`);
  }
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export interface DeadLetterTarget {
  queueUrl?: string;
  maxReceiveCount?: number;
}

/** Resource names, read when first used so the local runtime can set them before a handler runs. */
export const functionEnvironment = {
  galleryTableName: () => requireEnv(ENV.galleryTableName),
  recordsTableName: () => requireEnv(ENV.recordsTableName),
  bookingsQueueUrl: () => requireEnv(ENV.bookingsQueueUrl),
  decisionsQueueUrl: () => requireEnv(ENV.decisionsQueueUrl),
  eventBusName: () => optionalEnv(ENV.eventBusName),
  localEventsQueueUrl: () => optionalEnv(ENV.localEventsQueueUrl),
  auditLogGroupName: () => optionalEnv(ENV.auditLogGroupName),
  localAuditQueueUrl: () => optionalEnv(ENV.localAuditQueueUrl),
  pinnedPolicyId: () => optionalEnv(ENV.policyId),
  idempotencyTableName: () => requireEnv(ENV.idempotencyTableName),
  /** The DLQ of a consumed queue and its maxReceiveCount; unset (unit tests) means no dead-lettering by the handler. */
  deadLetters: (queue: 'bookings' | 'decisions'): DeadLetterTarget => {
    const [urlName, countName] =
      queue === 'bookings'
        ? [ENV.bookingsDlqUrl, ENV.bookingsMaxReceiveCount]
        : [ENV.decisionsDlqUrl, ENV.decisionsMaxReceiveCount];
    const count = optionalEnv(countName);
    return { queueUrl: optionalEnv(urlName), maxReceiveCount: count === undefined ? undefined : Number(count) };
  },
};
