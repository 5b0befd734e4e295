import { z } from 'zod';

/**
 * One entry of the audit trail: who did what to which record, when, and with what outcome. Ids,
 * versions, hashes and outcomes only: no biographic or biometric data.
 */
export const AuditEventSchema = z.strictObject({
  at: z.iso.datetime(),
  /** RECORD_WRITTEN: a record version written (first decision or review); RECORD_READ: read through the API. */
  action: z.enum(['RECORD_WRITTEN', 'RECORD_READ']),
  /** Who: the function that wrote, or the IAM principal that read. */
  actor: z.string().min(1).max(2048),
  /** Why, for a write: `booking` (first decision) or `review:<id>`. */
  trigger: z.string().max(200).optional(),
  submissionId: z.string().max(100),
  /** The record version written or read; absent when there was none to read. */
  recordVersion: z.number().int().min(1).optional(),
  /** For a write, the record type; for a read, the HTTP status answered. */
  outcome: z.string().max(100),
  policy: z.string().max(100).optional(),
  inputHash: z.string().max(200).optional(),
  /** The Lambda request id of the invocation that did it, to find its logs. */
  requestId: z.string().max(200).optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
