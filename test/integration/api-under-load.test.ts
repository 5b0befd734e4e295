import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGallery } from '../../functions/commons/adapters/gallery-seeder';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '../../functions/core/seeding/synthetic-bookings';
import { auditDelivery, awaitSettled } from '../../local/delivery-audit';
import type { LocalPipeline } from '../../local/runtime';
import { queueDepth, startTestPipeline } from './helpers';

/** Requests a second, for how long: as a busy county's booking stations and their status polling. */
const RATE_PER_SECOND = 200;
const SECONDS = 30;
/** One request in ten is a new booking (20/s, above what the search keeps up with here), one a resubmission. */
const NEW_SHARE = 0.1;
const RESUBMIT_SHARE = 0.1;
const GALLERY_SIZE = 500;
const GALLERY_SEED = 41;

interface Outcome {
  kind: 'post' | 'repost' | 'get';
  /** HTTP status, or the connection error's code when no answer came. */
  status: number | string;
  ms: number;
}

/** One request on fetch's own keep-alive pool (undici), not retried: every connection error counts. */
async function request(url: string, kind: Outcome['kind'], body?: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    await response.arrayBuffer();
    return { kind, status: response.status, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { kind, status: cause?.code ?? String(error), ms: performance.now() - started };
  }
}

/**
 * The local API driven at 200 requests a second over keep-alive connections for 30 s while the
 * search is saturated: every request is answered (no ECONNRESET, no 5xx), nothing submitted is lost
 * and resubmissions make no second record.
 */
describe('the local API under load', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await seedGallery({ tableName: pipeline.resources.tables.gallery, count: GALLERY_SIZE, seed: GALLERY_SEED });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('answers every request at 200/s with the pipeline saturated, losing and duplicating nothing', async () => {
    // Prepare
    const total = RATE_PER_SECOND * SECONDS;
    const bookings = Array.from(
      { length: Math.ceil(total * NEW_SHARE) + 1 },
      (_, index) =>
        syntheticBooking(
          { seed: 42, gallerySeed: GALLERY_SEED, gallerySize: GALLERY_SIZE, matedShare: NATIONAL_MATCH_SHARE },
          index,
        ).booking,
    );
    const bodies = bookings.map((booking) => JSON.stringify(booking));
    const submitted: number[] = [];
    /** Bookings whose first POST was answered: a status poll of any other would rightly be a 404. */
    const answered: number[] = [];
    const pending: Array<Promise<Outcome>> = [];
    let maxBacklog = 0;
    const sampler = setInterval(() => {
      void queueDepth(pipeline, pipeline.resources.queues.bookings.url).then((depth) => {
        maxBacklog = Math.max(maxBacklog, depth);
      });
    }, 1_000);

    // Act: an open loop (requests go out on schedule whatever the answers take), new bookings and
    // resubmissions of earlier ones among status polls of the bookings sent so far.
    const started = performance.now();
    let sent = 0;
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE_PER_SECOND));
        for (; sent < due; sent++) {
          const draw = (sent * 7919) % 100;
          const earlier = answered[(sent * 31) % Math.max(1, answered.length)];
          if (draw < NEW_SHARE * 100 || earlier === undefined) {
            const index = next++;
            submitted.push(index);
            pending.push(
              request(`${pipeline.apiUrl}/bookings`, 'post', bodies[index]).then((outcome) => {
                answered.push(index);
                return outcome;
              }),
            );
          } else if (draw < (NEW_SHARE + RESUBMIT_SHARE) * 100) {
            pending.push(request(`${pipeline.apiUrl}/bookings`, 'repost', bodies[earlier]));
          } else {
            pending.push(request(`${pipeline.apiUrl}/bookings/${bookings[earlier]!.submissionId}`, 'get'));
          }
        }
        if (sent >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 10);
    });
    const outcomes = await Promise.all(pending);
    clearInterval(sampler);
    const ids = submitted.map((index) => bookings[index]!.submissionId);
    await awaitSettled(pipeline.clients, pipeline.resources, { timeoutMs: 300_000 });
    const audit = await auditDelivery(pipeline.clients, pipeline.resources, ids);

    // Assess
    const unanswered = outcomes.filter((o) => typeof o.status === 'string');
    const posts = outcomes.filter((o) => o.kind !== 'get');
    const gets = outcomes.filter((o) => o.kind === 'get');
    expect(outcomes).toHaveLength(total);
    expect(unanswered.map((o) => o.status)).toEqual([]);
    expect(posts.filter((o) => o.status !== 202).map((o) => o.status)).toEqual([]);
    expect(gets.filter((o) => o.status !== 200 && o.status !== 202).map((o) => o.status)).toEqual([]);
    // Saturated: the bookings queue held a backlog while the requests were answered.
    expect(maxBacklog).toBeGreaterThan(20);
    expect(audit.lost).toEqual([]);
    expect(audit.duplicated).toEqual([]);
    expect(audit.recorded).toBe(ids.length);
  }, 420_000);
});
