import type { BookingSubmission, OutcomeRecord } from '../functions/core/schemas';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** A jail's side of the API: submit a booking, poll for its record. */
export async function postBooking(apiUrl: string, booking: BookingSubmission | unknown): Promise<ApiAnswer> {
  const response = await fetch(`${apiUrl}/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof booking === 'string' ? booking : JSON.stringify(booking),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

export async function getBooking(
  apiUrl: string,
  submissionId: string,
): Promise<ApiAnswer<{ status?: string; record?: OutcomeRecord }>> {
  const response = await fetch(`${apiUrl}/bookings/${encodeURIComponent(submissionId)}`);
  return { status: response.status, body: (await response.json().catch(() => ({}))) as { record?: OutcomeRecord } };
}

/** Polls until the booking has a record (200) or the deadline passes. */
export async function waitForRecord(
  apiUrl: string,
  submissionId: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<OutcomeRecord> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const answer = await getBooking(apiUrl, submissionId);
    if (answer.status === 200 && answer.body.record) return answer.body.record;
    if (Date.now() > deadline) throw new Error(`No record for ${submissionId} (last status ${answer.status})`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
