import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentitiesFromFile } from '#simulation/gallery-file';
import { dynamoGalleryReader } from '#adapters/gallery-store';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticIdentity } from '#simulation/synthetic-gallery';
import { searchBooking } from '#functions/match/search-booking';
import type { LocalPipeline } from '#local/local-pipeline';
import { startTestPipeline } from './helpers';

const GALLERY_SEED = 41;

/** `sc-pipeline seed --file`: identities of a JSONL file enrolled into the gallery table, then found. */
describe('enrolling identities from a file', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ consumers: false });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('enrols the valid lines, names the bad ones, and a search then finds an enrolled person', async () => {
    // Prepare
    const people = [0, 1, 2].map((index) => syntheticIdentity(GALLERY_SEED, index));
    const broken = { ...people[0], subjectId: 'not-a-fin' };
    const file = join(mkdtempSync(join(tmpdir(), 'gallery-')), 'identities.jsonl');
    writeFileSync(file, [...people.map((p) => JSON.stringify(p)), JSON.stringify(broken), '{oops'].join('\n'));
    const { booking } = bookingOfSubject({ seed: 42, gallerySeed: GALLERY_SEED }, 0, {
      galleryIndex: 1,
      profile: 'good',
    });

    // Act
    const result = await enrolIdentitiesFromFile(pipeline.resources.tables.gallery, file);
    const match = await searchBooking(booking, dynamoGalleryReader(pipeline.resources.tables.gallery));

    // Assess
    expect(result.identities).toBe(3);
    expect(result.templates).toBe(30);
    expect(result.rejected.map((r) => r.line)).toEqual([4, 5]);
    expect(result.rejected[0]?.errors.join()).toContain('subjectId');
    expect(match.outcome).toBe('match');
    expect(match.identity?.subjectId).toBe(people[1]?.subjectId);
  });
});
