import { createHash } from 'node:crypto';
import { canonicalJson } from '#core/records/input-hash';
import type { BookingSubmission } from '#core/schemas';

/**
 * A hash of the validated booking, to tell a resubmission of the same booking (answered the same
 * way) from a different booking under a reused submissionId (a conflict). Canonical JSON makes key
 * order irrelevant; validation strips nothing (the schemas are strict).
 */
export function bookingHash(booking: BookingSubmission): string {
  return createHash('sha256').update(canonicalJson(booking)).digest('hex');
}
