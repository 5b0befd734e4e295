import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGallery } from '#simulation/gallery-seeder';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '#simulation/synthetic-bookings';
import { auditDelivery, awaitSettled } from '#local/harness/delivery-audit';
import type { LocalPipeline } from '#local/local-pipeline';
import { queueDepth, startTestPipeline } from './helpers';

/** Requests a second, for how long: as a busy county's booking stations and their status polling. */
const RATE_PER_SECOND = 200;
const SECONDS = 30;
/** One request in twenty is a new booking (10/s, above what the search keeps up with here), one in ten a resubmission. */
const NEW_SHARE = 0.05;
const RESUBMIT_SHARE = 0.1;
const GALLERY_SIZE = 500;
const GALLERY_SEED = 41;

interface Outcome {
  kind: 'post' | 'repost' | 'get';
  /** HTTP status, or the connection error's code when no answer came. */
  status: number | string;
  ms: number;
}

/**
 * A booking system's connection pool: keep-alive sockets, at most this many at once (a request
 * beyond them waits for a free socket, as with any pooled HTTP client).
 */
const SOCKETS = 64;

/** One request on the pool, not retried: every connection error counts. */
function request(agent: Agent, url: string, kind: Outcome['kind'], body?: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: Outcome['status']) => resolve({ kind, status, ms: performance.now() - started });
    const req = httpRequest(
      url,
      {
        agent,
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode ?? 0));
        response.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end(body);
  });
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? Number.NaN;

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
    const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
    let sockets = 0;
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = (...args: Parameters<typeof createConnection>) => {
      sockets++;
      return createConnection(...args);
    };
    const started = performance.now();
    let sent = 0;
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE_PER_SECOND));
        for (; sent < due; sent++) {
          const draw = (sent * 7919) % 100;
          const earlier = answered[(sent * 31) % Math.max(1, answered.length)];
          const latest = submitted.at(-1);
          if ((draw < NEW_SHARE * 100 && next < bookings.length) || latest === undefined) {
            const index = next++;
            submitted.push(index);
            pending.push(
              request(agent, `${pipeline.apiUrl}/bookings`, 'post', bodies[index]).then((outcome) => {
                answered.push(index);
                return outcome;
              }),
            );
          } else if (draw < (NEW_SHARE + RESUBMIT_SHARE) * 100 || earlier === undefined) {
            // Before any first POST is answered, only a resubmission can be sent (a poll would be a 404).
            pending.push(request(agent, `${pipeline.apiUrl}/bookings`, 'repost', bodies[earlier ?? latest]));
          } else {
            pending.push(request(agent, `${pipeline.apiUrl}/bookings/${bookings[earlier]!.submissionId}`, 'get'));
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
    agent.destroy();
    const ms = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).map((o) => o.ms);
    console.log(
      `${outcomes.length} requests in ${((performance.now() - started) / 1000).toFixed(1)} s over ${sockets} sockets; ` +
        `POST p50/p99 ${percentile(ms('post'), 50).toFixed(0)}/${percentile(ms('post'), 99).toFixed(0)} ms, ` +
        `GET p50/p99 ${percentile(ms('get'), 50).toFixed(0)}/${percentile(ms('get'), 99).toFixed(0)} ms; ` +
        `bookings backlog up to ${maxBacklog}`,
    );
    const ids = submitted.map((index) => bookings[index]!.submissionId);
    await awaitSettled(pipeline.clients, pipeline.resources, { timeoutMs: 300_000 });
    const audit = await auditDelivery(pipeline.clients, pipeline.resources, ids);

    // Assess
    const unanswered = outcomes.filter((o) => typeof o.status === 'string');
    const posts = outcomes.filter((o) => o.kind !== 'get');
    const gets = outcomes.filter((o) => o.kind === 'get');
    expect(outcomes).toHaveLength(total);
    // Keep-alive: sockets were reused, not opened per request.
    expect(sockets).toBeLessThanOrEqual(SOCKETS);
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
