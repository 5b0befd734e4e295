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

/**
 * Submits a booking as a jail's system should: a 5xx, a 429 or a network failure is retried with
 * backoff (the same submissionId makes a retry harmless); a 4xx is final. Returns the last answer.
 */
export async function submitBooking(
  apiUrl: string,
  booking: BookingSubmission | unknown,
  options: { attempts?: number; baseDelayMs?: number } = {},
): Promise<ApiAnswer & { attempts: number }> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    const answer = await postBooking(apiUrl, booking).catch(() => undefined);
    const retryable = answer === undefined || answer.status >= 500 || answer.status === 429;
    if (!retryable || attempt >= attempts) return { ...(answer ?? { status: 0, body: null }), attempts: attempt };
    const delay = (options.baseDelayMs ?? 100) * 2 ** (attempt - 1);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * delay));
  }
}
