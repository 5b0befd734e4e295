import * as z from '#core/zod';

/**
 * One entry of the audit trail: who did what to which record, when, and with what outcome. Ids,
 * versions, hashes and outcomes only: no biographic or biometric data.
 */
export const AuditEventSchema = z.strictObject({
  at: z.iso.datetime(),
  /** RECORD_WRITTEN: a record version written (first decision or review); RECORD_READ: read through the API. */
  action: z.enum(['RECORD_WRITTEN', 'RECORD_READ']),
  /** Who: the function that wrote, or the IAM principal that read. */
  actor: z.string().check(z.minLength(1), z.maxLength(2048)),
  /** Why, for a write: `booking` (first decision) or `review:<id>`. */
  trigger: z.optional(z.string().check(z.maxLength(200))),
  submissionId: z.string().check(z.maxLength(100)),
  /** The record version written or read; absent when there was none to read. */
  recordVersion: z.optional(z.number().check(z.int(), z.gte(1))),
  /** For a write, the record type; for a read, the HTTP status answered. */
  outcome: z.string().check(z.maxLength(100)),
  policy: z.optional(z.string().check(z.maxLength(100))),
  inputHash: z.optional(z.string().check(z.maxLength(200))),
  /** The Lambda request id of the invocation that did it, to find its logs. */
  requestId: z.optional(z.string().check(z.maxLength(200))),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
