import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticBooking } from '#simulation/synthetic-bookings';
import { syntheticPerson } from '#simulation/synthetic-gallery';
import type { LocalPipeline } from '#local/local-pipeline';
import { startTestPipeline } from './helpers';

const GALLERY = { size: 120, seed: 71 };
const BOOKINGS = { count: 30, seed: 72, matedShare: 0.4 };

/** Everything written to stdout and stderr while `run` runs. */
async function captureOutput(run: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  try {
    await run();
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Names, dates of birth and A-numbers of everyone in the run: the bookings' subjects and the gallery. */
function personalValues(): string[] {
  const values = new Set<string>();
  for (let index = 0; index < GALLERY.size; index++) {
    const { biographics, record } = syntheticPerson(GALLERY.seed, index);
    values.add(biographics.name.last).add(biographics.name.first).add(biographics.dateOfBirth);
    if (record.immigration.aNumber) values.add(record.immigration.aNumber);
  }
  for (let index = 0; index < BOOKINGS.count; index++) {
    const { booking } = syntheticBooking(
      { seed: BOOKINGS.seed, gallerySeed: GALLERY.seed, gallerySize: GALLERY.size, matedShare: BOOKINGS.matedShare },
      index,
    );
    const { name, dateOfBirth } = booking.subject;
    for (const part of [name.last, name.first, name.middle, dateOfBirth]) if (part) values.add(part);
  }
  return [...values].filter((value) => value.length >= 3);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The demo at DEBUG level, with injected faults and poison messages so the error paths log too: no
 * line of output may carry a name, a date of birth, an A-number or a fingerprint template.
 */
describe('no personal or biometric data in logs', () => {
  let pipeline: LocalPipeline;
  let lines: string[];

  beforeAll(async () => {
    lines = await captureOutput(async () => {
      pipeline = await startTestPipeline({ logLevel: 'DEBUG', retryDelaySeconds: 4, functionTimeoutSeconds: 3 });
      // Loaded after the pipeline: the demo's modules build the Powertools Logger, which reads its
      // level from the environment the pipeline has just set.
      const { DEFAULT_DEMO_OPTIONS, runDemo } = await import('#local/harness/demo');
      pipeline.faults.set({ dynamodb: { rate: 0.05 }, sqs: { rate: 0.05 } });
      for (const body of ['{"submissionId":"poison-1","subject":{"name":', JSON.stringify({ fingers: [1] })]) {
        await pipeline.clients.sqs.send(
          new SendMessageCommand({ QueueUrl: pipeline.resources.queues.bookings.url, MessageBody: body }),
        );
      }
      await runDemo(pipeline, {
        ...DEFAULT_DEMO_OPTIONS,
        gallerySize: GALLERY.size,
        gallerySeed: GALLERY.seed,
        bookings: BOOKINGS.count,
        bookingSeed: BOOKINGS.seed,
        matedShare: BOOKINGS.matedShare,
        timeoutSeconds: 180,
        progress: false,
      });
    });
  }, 300_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('collected the handlers’ log lines, errors included', () => {
    const json = lines.filter((line) => line.startsWith('{'));
    expect(json.length).toBeGreaterThan(BOOKINGS.count);
    expect(json.some((line) => line.includes('"level":"DEBUG"') || line.includes('"level":"INFO"'))).toBe(true);
    expect(json.some((line) => line.includes('"level":"ERROR"'))).toBe(true);
  });

  it('has no name, date of birth or A-number in any line', () => {
    const values = personalValues();
    expect(values.length).toBeGreaterThan(GALLERY.size);
    const leaks = values.flatMap((value) => {
      const pattern = new RegExp(`(^|[^A-Za-z0-9])${escape(value)}([^A-Za-z0-9]|$)`);
      return lines.filter((line) => pattern.test(line)).map((line) => `${value}: ${line.slice(0, 200)}`);
    });
    expect(leaks).toEqual([]);
  });

  it('has no fingerprint template in any line', () => {
    const template = /"minutiae"|"resolutionPpi"|"angle"\s*:|"quality"\s*:|"x"\s*:\s*\d/;
    expect(lines.filter((line) => template.test(line))).toEqual([]);
  });
});
