import type { BookingSubmission, OutcomeRecord } from '#core/schemas';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  /** Requests it took: more than 1 when a transient failure was retried. */
  attempts: number;
  /** The transient failures retried (error codes such as ECONNRESET, or HTTP statuses), in order. */
  retried: string[];
}

export interface RetryOptions {
  /** Requests at most, the first included. @default 8 */
  attempts?: number;
  /** First backoff, ms; doubled on each retry, with full jitter. @default 100 */
  baseDelayMs?: number;
}

/** A network failure's code (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET ...), or its message. */
function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * A request as a jail's system should make it: a network failure, a 5xx or a 429 is retried with
 * exponential backoff and full jitter; any other answer is final. Safe for a POST of a booking
 * because the submissionId makes a repeat harmless (the same booking is answered 202 again and not
 * queued twice). After the last attempt, the last answer, or status 0 if none came.
 */
export async function withRetries<T>(
  request: () => Promise<{ status: number; body: T }>,
  options: RetryOptions,
  empty: T,
): Promise<ApiAnswer<T>> {
  const attempts = options.attempts ?? 8;
  const retried: string[] = [];
  for (let attempt = 1; ; attempt++) {
    let answer: { status: number; body: T } | undefined;
    let failure: string;
    try {
      answer = await request();
      if (answer.status < 500 && answer.status !== 429) return { ...answer, attempts: attempt, retried };
      failure = `HTTP ${answer.status}`;
    } catch (error) {
      failure = failureOf(error);
    }
    if (attempt >= attempts) return { ...(answer ?? { status: 0, body: empty }), attempts: attempt, retried };
    retried.push(failure);
    const delay = (options.baseDelayMs ?? 100) * 2 ** (attempt - 1);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * delay));
  }
}

/** A jail's side of the API: submits a booking (retrying transient failures). */
export function postBooking(
  apiUrl: string,
  booking: BookingSubmission | unknown,
  options: RetryOptions = {},
): Promise<ApiAnswer> {
  const body = typeof booking === 'string' ? booking : JSON.stringify(booking);
  return withRetries(
    async () => {
      const response = await fetch(`${apiUrl}/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
    },
    options,
    null,
  );
}

/** The status and record of a submission (retrying transient failures). */
export function getBooking(
  apiUrl: string,
  submissionId: string,
  options: RetryOptions = {},
): Promise<ApiAnswer<{ status?: string; record?: OutcomeRecord }>> {
  return withRetries(
    async () => {
      const response = await fetch(`${apiUrl}/bookings/${encodeURIComponent(submissionId)}`);
      return {
        status: response.status,
        body: (await response.json().catch(() => ({}))) as { status?: string; record?: OutcomeRecord },
      };
    },
    options,
    {},
  );
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
