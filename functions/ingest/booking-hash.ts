import { createHash } from 'node:crypto';
import type { BookingSubmission } from '../core/schemas';

/**
 * A hash of the validated booking, to tell a resubmission of the same booking (answered the same
 * way) from a different booking under a reused submissionId (a conflict). Validation strips nothing
 * (the schemas are strict), so key order is the only difference between equal bookings.
 */
export function bookingHash(booking: BookingSubmission): string {
  return createHash('sha256').update(stableStringify(booking)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
